import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request } from 'express';

/** The query parameters every CAM call carries (tenantId is checked by the auth guard). */
export interface CamQuery {
  tenantId?: string;
  aceOrgGuid?: string;
  namespace?: string;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export const CamQueryParams = createParamDecorator((_: unknown, ctx: ExecutionContext): CamQuery => {
  const q = ctx.switchToHttp().getRequest<Request>().query;
  return { tenantId: str(q.tenantId), aceOrgGuid: str(q.ace_orgGuid), namespace: str(q.cloudOE_spaceGuid) };
});
