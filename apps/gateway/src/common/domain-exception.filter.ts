import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '@cam-esc/errors';
import { InstanceGoneError, Prisma } from '@cam-esc/persistence';
import { Request, Response } from 'express';
import { allowedMethods } from './http/allowed-methods';

/** The one place where errors become HTTP answers, in CAM's error shape `{ error: {...} }`. */
const REFERENCE_RACE = { status: 409 as const, message: 'a record this one refers to was deleted, or is still referred to, meanwhile: try again', code: DomainErrorCode.CONFLICT };
const UNIQUE_RACE = { status: 409 as const, message: 'a record with the same unique values already exists (another request made it meanwhile)', code: DomainErrorCode.CONFLICT };

@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    const { status, message, code } = notRouted(exception) ? this.notRouted(req, res) : this.describe(exception);
    if (status >= 500) this.logger.error({ err: exception }, 'request failed');
    res.status(status);
    // HTTP has no reason phrase for CAM's 419
    if (status === 419) res.statusMessage = 'Resource Locked';
    res.json({ error: { statusCode: status, name: HttpStatus[status] ?? 'Error', code, message } });
  }

  /** No route took the request: a path that exists with another method is a 405 naming the methods it takes. */
  private notRouted(req: Request, res: Response): { status: number; message: string; code: string } {
    const allow = allowedMethods(req);
    if (!allow.length) return { status: 404, message: `no such path: ${req.method} ${req.path.slice(0, 200)}`, code: DomainErrorCode.NOT_FOUND };
    res.setHeader('Allow', allow.join(', '));
    return { status: 405, message: `method ${req.method} is not allowed on ${req.path.slice(0, 200)}; it takes ${allow.join(', ')}`, code: 'METHOD_NOT_ALLOWED' };
  }

  private describe(exception: unknown): { status: number; message: string; code: string } {
    // a body that is not JSON: Nest's body parser hands JSON.parse's words over in a BadRequestException
    if (exception instanceof BadRequestException && /JSON|Unexpected (token|end|non-whitespace)|Expected/.test(exception.message)) {
      return { status: 400, message: `body: is not valid JSON (${exception.message})`, code: DomainErrorCode.INVALID_INPUT };
    }
    if (exception instanceof DomainException) return { status: statusOf(exception.code), message: exception.message, code: exception.code };
    // no such instance (or it was cleaned up between the call's checks and its lock)
    if (exception instanceof InstanceGoneError) return { status: 404, message: `service instance '${exception.instanceId}' was not found`, code: DomainErrorCode.NOT_FOUND };
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const raw = typeof body === 'object' && body !== null && 'message' in body ? (body as { message: unknown }).message : exception.message;
      const message = Array.isArray(raw) ? raw.join('; ') : String(raw);
      const status = exception.getStatus();
      return { status, message, code: status === 400 ? DomainErrorCode.INVALID_INPUT : (HttpStatus[status] ?? 'ERROR') };
    }
    if (exception instanceof Prisma.PrismaClientKnownRequestError) {
      // races between two requests (the checks before the write passed for both)
      switch (exception.code) {
        case 'P2002':
          return UNIQUE_RACE;
        case 'P2003':
          return REFERENCE_RACE;
        case 'P2025':
          return { status: 404, message: 'the record was deleted meanwhile', code: DomainErrorCode.NOT_FOUND };
        case 'P2010': {
          // a raw statement (the hot paths write with one): the same races, named by PostgreSQL's code
          const sqlState = (exception.meta as { driverAdapterError?: { cause?: { originalCode?: string } } } | undefined)?.driverAdapterError?.cause?.originalCode;
          if (sqlState === '23503') return REFERENCE_RACE;
          if (sqlState === '23505') return UNIQUE_RACE;
          break;
        }
      }
    }
    // body-parser and express errors (bad charset or encoding, too large, ...) carry their own 4xx
    const httpError = exception as { status?: unknown; statusCode?: unknown; expose?: boolean; message?: string; type?: string; limit?: number };
    const status = Number(httpError?.status ?? httpError?.statusCode);
    if (httpError?.type === 'entity.too.large') return { status: 413, message: `body: is larger than this call takes (${Math.round((httpError.limit ?? 0) / 1024)} KB at most)`, code: 'PAYLOAD_TOO_LARGE' };
    if (status >= 400 && status < 500) {
      return { status, message: httpError.expose !== false && httpError.message ? httpError.message : (HttpStatus[status] ?? 'bad request'), code: DomainErrorCode.INVALID_INPUT };
    }
    if (databaseUnreachable(exception)) return { status: 503, message: 'the database is not reachable; nothing was written, try again', code: DomainErrorCode.UNAVAILABLE };
    return { status: 500, message: 'internal error; see the gateway log', code: 'INTERNAL' };
  }
}

/** Nest's answer when no route matches (its router's own NotFoundException, "Cannot GET /x"). */
function notRouted(exception: unknown): boolean {
  return exception instanceof NotFoundException && /^Cannot [A-Z]+ \//.test(exception.message);
}

/** Prisma's codes for a database it cannot reach or whose pool is exhausted, and the driver's words for a dropped connection. */
const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const UNREACHABLE_WORDS = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|terminating connection/i;

function databaseUnreachable(exception: unknown): boolean {
  if (exception instanceof Prisma.PrismaClientInitializationError) return true;
  const code = (exception as { code?: unknown })?.code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  const known = exception instanceof Prisma.PrismaClientKnownRequestError || exception instanceof Prisma.PrismaClientUnknownRequestError;
  return known && UNREACHABLE_WORDS.test((exception as Error).message);
}

function statusOf(code: DomainErrorCode): number {
  switch (code) {
    case DomainErrorCode.INVALID_INPUT:
      return 400;
    case DomainErrorCode.UNAUTHENTICATED:
      return 401;
    case DomainErrorCode.FORBIDDEN:
      return 403;
    case DomainErrorCode.NOT_FOUND:
      return 404;
    case DomainErrorCode.CONFLICT:
      return 409;
    case DomainErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return 415;
    case DomainErrorCode.RESOURCE_LOCKED:
      return 419;
    case DomainErrorCode.IDEMPOTENCY_KEY_REUSED:
      return 422;
    case DomainErrorCode.RATE_LIMITED:
      return 429;
    case DomainErrorCode.UNAVAILABLE:
      return 503;
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}
