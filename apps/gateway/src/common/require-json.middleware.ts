import { Injectable, NestMiddleware } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '@cam-esc/errors';
import { NextFunction, Request, Response } from 'express';

/**
 * A CAM or template call with a body that is not sent as JSON would be read as empty and fail
 * with confusing "name must be a string" messages; say what is wrong instead.
 */
@Injectable()
export class RequireJsonMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) {
      throw new DomainException(
        DomainErrorCode.UNSUPPORTED_MEDIA_TYPE,
        `the request body must be JSON, sent with Content-Type: application/json (got ${req.headers['content-type'] ?? 'no Content-Type'})`,
      );
    }
    next();
  }
}
