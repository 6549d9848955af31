import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { IconMeta, IconRepository } from '@cam-esc/persistence';
import { ICON_FIELD } from '../icon-upload.interceptor';

/** CAM: "CONTENT_TYPE = ['image/jpeg', 'image/gif', 'image/png','application/xml']" (the seed's icons are SVG sent as application/xml). */
export const ICON_CONTENT_TYPES = ['image/jpeg', 'image/gif', 'image/png', 'application/xml'];

const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')),
  'application/xml': (b) => /^(\uFEFF)?\s*</.test(b.subarray(0, 256).toString('utf8')),
};

export interface UploadedIcon {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

const invalid = (rule: string) => DomainException.invalid(`${ICON_FIELD}: ${rule}`, { field: ICON_FIELD });

@Injectable()
export class UploadIconUseCase {
  constructor(private readonly icons: IconRepository) {}

  async execute(tenantId: string, file: UploadedIcon | undefined): Promise<IconMeta> {
    if (!file) throw invalid(`no file: send it in the multipart field '${ICON_FIELD}'`);
    const name = file.originalname;
    if (!name || name.length > 255 || /[/\\\u0000-\u001f]/.test(name)) throw invalid('the file name must be 1..255 characters, without slashes or control characters');
    const type = file.mimetype.toLowerCase().split(';')[0].trim();
    if (!ICON_CONTENT_TYPES.includes(type)) throw invalid(`content type '${type}' is not allowed (allowed: ${ICON_CONTENT_TYPES.join(', ')}; send SVG as application/xml)`);
    if (file.size === 0) throw invalid('the file is empty');
    if (!SIGNATURES[type](file.buffer)) throw invalid(`the file's content is not ${type}`);
    if (await this.icons.findByName(tenantId, name)) throw DomainException.conflict(`${ICON_FIELD}: an icon named '${name}' exists already: icon names are unique`);
    return this.icons.create({ tenantId, name, contentType: type, size: file.size, content: file.buffer });
  }
}
