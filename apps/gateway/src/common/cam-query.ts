import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { Request } from 'express';

/** The query parameters every CAM call carries (tenantId is checked by the auth guard). */
export interface CamQuery {
  tenantId?: string;
  aceOrgGuid?: string;
  namespace?: string;
}

/** One plain value, or nothing; given twice, or with a NUL, it is a 400 naming the parameter. */
export function queryValue(q: Record<string, unknown>, name: string): string | undefined {
  const v = q[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw DomainException.invalid(`${name}: give it once, as a plain value`, { field: name });
  if (v.includes('\u0000') || v.length > 256) throw DomainException.invalid(`${name}: must be at most 256 characters, without NUL`, { field: name });
  return v;
}

export const CamQueryParams = createParamDecorator((_: unknown, ctx: ExecutionContext): CamQuery => {
  const q = ctx.switchToHttp().getRequest<Request>().query as Record<string, unknown>;
  return { tenantId: queryValue(q, 'tenantId'), aceOrgGuid: queryValue(q, 'ace_orgGuid'), namespace: queryValue(q, 'cloudOE_spaceGuid') };
});
