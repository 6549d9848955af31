import { Injectable, NestMiddleware } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { isSimAdminPath, requestPath } from '../common/paths';
import { FaultsService } from './faults.service';

/**
 * During a down period (POST /_sim/down) every request outside /_sim has its connection
 * destroyed as soon as it has arrived: no answer, nothing applied. It stays in the request log.
 */
@Injectable()
export class DownMiddleware implements NestMiddleware {
  constructor(private readonly faults: FaultsService) {}

  use(req: IncomingMessage & { originalUrl?: string }, _res: ServerResponse, next: () => void): void {
    if (!isSimAdminPath(requestPath(req)) && this.faults.refuseWhileDown()) {
      req.socket.destroy();
      return;
    }
    next();
  }
}
