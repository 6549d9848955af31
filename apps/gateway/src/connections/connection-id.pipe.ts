import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { DEFAULT_CONNECTION } from '@cam-esc/esc';
import { EntityIdPipe } from '../common/entity-id.pipe';

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** A connection's id (a UUID) or its name (`default` for the built-in one); anything else is a 404. */
@Injectable()
export class ConnectionIdPipe implements PipeTransform<string, string> {
  private readonly uuid = new EntityIdPipe('ESC connection');

  transform(value: string): string {
    if (value === DEFAULT_CONNECTION || NAME.test(value)) return value;
    return this.uuid.transform(value);
  }
}

export function builtinIsReadOnly(): DomainException {
  return DomainException.conflict("ESC connection 'default' is configured by the environment (ESC_URL, ESC_USERNAME, ESC_PASSWORD): change those and restart the gateway and the worker");
}
