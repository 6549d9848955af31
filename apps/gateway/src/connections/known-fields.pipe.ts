import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';

/**
 * A body field the call does not take is a 400 naming it (a mistyped `pasword` would otherwise
 * be dropped in silence). Fields of the answer that a client sends back as it got them are let
 * through and ignored.
 */
@Injectable()
export class KnownFieldsPipe implements PipeTransform {
  constructor(
    private readonly what: string,
    private readonly fields: readonly string[],
    private readonly ignored: readonly string[] = [],
  ) {}

  transform(body: unknown): unknown {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw DomainException.invalid('body: must be a JSON object');
    const unknown = Object.keys(body).filter((k) => !this.fields.includes(k) && !this.ignored.includes(k) && (body as Record<string, unknown>)[k] !== undefined);
    if (unknown.length > 0) {
      throw DomainException.invalid(`${unknown[0]}: is not a field of ${this.what} (its fields: ${this.fields.join(', ')})`, { field: unknown[0] });
    }
    for (const k of this.ignored) delete (body as Record<string, unknown>)[k];
    return body;
  }
}
