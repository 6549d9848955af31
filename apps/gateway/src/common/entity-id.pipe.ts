import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else names nothing, so it is a 404 like an unknown id. */
@Injectable()
export class EntityIdPipe implements PipeTransform<string, string> {
  constructor(private readonly what: string) {}

  transform(value: string): string {
    if (!UUID.test(value)) throw DomainException.notFound(this.what, value);
    return value.toLowerCase();
  }
}
