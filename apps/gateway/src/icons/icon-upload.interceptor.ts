import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { Request, Response } from 'express';
import multer from 'multer';
import { Observable } from 'rxjs';

/** CAM: "The size of the icon file must be less than one MB." */
export const MAX_ICON_BYTES = 1024 * 1024 - 1;
export const ICON_FIELD = 'icon';

/**
 * Reads the multipart upload with multer (the parser NestJS's Express platform ships): one file
 * in the field `icon`, held in memory up to the size limit and no further; each broken rule is a
 * 400 that names it.
 */
@Injectable()
export class IconUploadInterceptor implements NestInterceptor {
  private readonly upload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: MAX_ICON_BYTES, files: 1, fields: 10, parts: 12, fieldSize: 4096 } }).single(ICON_FIELD);

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    if (!req.is('multipart/form-data')) {
      throw DomainException.invalid(`${ICON_FIELD}: send the icon as multipart/form-data with the file in the field '${ICON_FIELD}' (curl -F "icon=@file.png")`, { field: ICON_FIELD });
    }
    await new Promise<void>((resolve, reject) => this.upload(req, res, (err: unknown) => (err ? reject(translate(err)) : resolve())));
    return next.handle();
  }
}

function translate(err: unknown): DomainException {
  if (err instanceof multer.MulterError) {
    switch (err.code) {
      case 'LIMIT_FILE_SIZE':
        return DomainException.invalid(`${ICON_FIELD}: the icon must be less than 1 MB (${MAX_ICON_BYTES + 1} bytes)`, { field: ICON_FIELD });
      case 'LIMIT_UNEXPECTED_FILE':
        return DomainException.invalid(`${err.field ?? 'file'}: upload one file, in the field '${ICON_FIELD}'`, { field: err.field ?? ICON_FIELD });
      default:
        return DomainException.invalid(`${ICON_FIELD}: ${err.message}`, { field: ICON_FIELD });
    }
  }
  return DomainException.invalid(`${ICON_FIELD}: the multipart body could not be read (${(err as Error).message})`, { field: ICON_FIELD });
}
