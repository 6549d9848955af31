import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { isEscPath, requestPath } from '../common/paths';
import { SIM_CONFIG, SimConfig } from '../config/sim-config';

/**
 * ESC's REST authentication: HTTP Basic with a single configured user. Like ESC with
 * --enable-auth, it guards the whole /ESCManager tree (unknown paths too); /_sim stays open.
 */
@Injectable()
export class BasicAuthMiddleware implements NestMiddleware {
  private readonly expected?: Buffer;

  constructor(@Inject(SIM_CONFIG) config: SimConfig) {
    if (config.username !== undefined && config.password !== undefined) {
      this.expected = Buffer.from(`${config.username}:${config.password}`, 'utf8');
    }
  }

  use(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void): void {
    if (!this.expected || !isEscPath(requestPath(req)) || this.authorized(req.headers.authorization)) {
      next();
      return;
    }
    res.statusCode = 401;
    res.setHeader('WWW-Authenticate', 'Basic realm="ESCManager"');
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('Unauthorized: valid HTTP Basic credentials are required');
  }

  private authorized(header: string | undefined): boolean {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
    if (!match || !this.expected) return false;
    const given = Buffer.from(match[1], 'base64');
    return given.length === this.expected.length && timingSafeEqual(given, this.expected);
  }
}
