import { Injectable, NestMiddleware } from '@nestjs/common';
import { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { isSimAdminPath, requestPath } from '../common/paths';
import { RequestLog } from './request-log';

type ParsedRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

/** Records every request outside /_sim, including ones later refused (401, 404...). */
@Injectable()
export class RequestLogMiddleware implements NestMiddleware {
  constructor(private readonly log: RequestLog) {}

  use(req: ParsedRequest, res: ServerResponse, next: () => void): void {
    const path = requestPath(req);
    if (!isSimAdminPath(path)) {
      const entry = this.log.record({
        method: req.method ?? 'GET',
        path,
        headers: redactedHeaders(req.headers),
        body: bodyText(req.body),
      });
      res.on('finish', () => {
        entry.status = res.statusCode;
      });
    }
    next();
  }
}

function redactedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const copy: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    copy[name] = name === 'authorization' ? redactCredentials(String(value)) : value;
  }
  return copy;
}

/** Keeps the scheme so tests can still see that e.g. Basic auth was sent. */
function redactCredentials(value: string): string {
  const scheme = value.trim().split(/\s+/)[0];
  return scheme && scheme !== value.trim() ? `${scheme} [REDACTED]` : '[REDACTED]';
}

/** Bodies outside /_sim are read as text whatever their content type (see the bootstrap). */
function bodyText(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return JSON.stringify(body);
}
