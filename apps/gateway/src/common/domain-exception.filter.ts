import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '@cam-esc/errors';
import { Prisma } from '@cam-esc/persistence';
import { Response } from 'express';

/** The one place where errors become HTTP answers, in CAM's error shape `{ error: {...} }`. */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, message, code } = this.describe(exception);
    if (status >= 500) this.logger.error({ err: exception }, 'request failed');
    res.status(status).json({ error: { statusCode: status, name: HttpStatus[status] ?? 'Error', code, message } });
  }

  private describe(exception: unknown): { status: number; message: string; code: string } {
    if (exception instanceof DomainException) return { status: statusOf(exception.code), message: exception.message, code: exception.code };
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const raw = typeof body === 'object' && body !== null && 'message' in body ? (body as { message: unknown }).message : exception.message;
      const message = Array.isArray(raw) ? raw.join('; ') : String(raw);
      return { status: exception.getStatus(), message, code: HttpStatus[exception.getStatus()] ?? 'ERROR' };
    }
    if (exception instanceof Prisma.PrismaClientKnownRequestError && exception.code === 'P2002') {
      return { status: 409, message: 'a record with the same unique values already exists', code: DomainErrorCode.CONFLICT };
    }
    const bodyParserError = exception as { type?: string; status?: number; message?: string };
    if (bodyParserError?.type === 'entity.parse.failed') return { status: 400, message: `request body is not valid JSON: ${bodyParserError.message}`, code: DomainErrorCode.INVALID_INPUT };
    if (bodyParserError?.type === 'entity.too.large') return { status: 413, message: 'request body is too large', code: DomainErrorCode.INVALID_INPUT };
    return { status: 500, message: 'internal error; see the gateway log', code: 'INTERNAL' };
  }
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
    case DomainErrorCode.UNAVAILABLE:
      return 503;
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}
