import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { IncomingMessage, ServerResponse } from 'node:http';
import { HeldAnswers } from '../faults/held-answers';
import { isSimAdminPath, requestPath } from './paths';
import { DroppedRequestException, SimulatedFailureException } from './simulated-failure.exception';

/**
 * ESC answers errors with a short plain-text message (no JSON envelope), so everything outside
 * /_sim gets text/plain; the simulator's own /_sim API keeps Nest's JSON errors.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(
    @InjectPinoLogger(HttpExceptionFilter.name) private readonly logger: PinoLogger,
    private readonly held: HeldAnswers,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<IncomingMessage & { originalUrl?: string }>();
    const res = http.getResponse<ServerResponse>();
    if (res.headersSent) return;

    if (exception instanceof DroppedRequestException) {
      const drop = (): void => void res.socket?.destroy();
      if (exception.delayMs > 0) void this.held.hold(res, exception.delayMs).then(drop);
      else drop();
      return;
    }
    if (exception instanceof SimulatedFailureException) {
      const isXml = exception.body.trimStart().startsWith('<');
      const answer = (): void =>
        send(res, exception.getStatus(), isXml ? 'application/xml' : 'text/plain; charset=utf-8', exception.body, exception.headers);
      if (exception.delayMs > 0) void this.held.hold(res, exception.delayMs).then(answer);
      else answer();
      return;
    }

    const status = exception instanceof HttpException ? exception.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
    const message = exception instanceof HttpException ? exception.message : 'Internal server error';
    if (!(exception instanceof HttpException)) {
      this.logger.error({ err: exception }, 'Unhandled error while answering a request');
    }
    if (isSimAdminPath(requestPath(req))) {
      send(res, status, 'application/json; charset=utf-8', JSON.stringify({ statusCode: status, message }));
    } else {
      send(res, status, 'text/plain; charset=utf-8', message);
    }
  }
}

/** `headers` come last, so a fault rule's Content-Type wins. */
function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Readonly<Record<string, string>> = {}): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  Object.entries(headers).forEach(([name, value]) => res.setHeader(name, value));
  res.end(body);
}
