import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';

/**
 * PostgreSQL cannot store the NUL character in text or jsonb, so a value holding one would fail
 * deep in a write; refuse it up front, naming where it is.
 */
@Injectable()
export class RejectNulCharactersPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const where = findNul(value, metadata.type === 'body' ? '' : (metadata.data ?? metadata.type));
    if (where !== undefined) throw DomainException.invalid(`${where || 'body'}: must not contain the NUL character (\\u0000)`);
    return value;
  }
}

function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const key = k.includes('\u0000') ? `${path}.${JSON.stringify(k)}` : undefined;
      if (key) return key;
      const found = findNul(v, path ? `${path}.${k}` : k);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
