import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '@cam-esc/config';
import { DomainErrorCode, DomainException } from '@cam-esc/errors';
import { timingSafeEqual } from 'node:crypto';
import { Request } from 'express';

export const IS_PUBLIC = 'isPublic';
/** Routes that authenticate otherwise (ESC callbacks) or not at all (health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export interface AuthenticatedRequest extends Request {
  tenantId: string;
}

/**
 * `Authorization: Bearer <token>` from API_TOKENS; the token decides the tenant. A `tenantId`
 * query parameter (CAM clients always send one) must then name that same tenant.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match) throw new DomainException(DomainErrorCode.UNAUTHENTICATED, 'Authorization: Bearer <token> is required');
    const tenantId = this.tenantOf(match[1]);
    if (!tenantId) throw new DomainException(DomainErrorCode.UNAUTHENTICATED, 'the bearer token is not valid');
    const asked = req.query.tenantId;
    if (asked !== undefined && asked !== tenantId) {
      throw new DomainException(DomainErrorCode.FORBIDDEN, `tenantId '${String(asked)}' is not the tenant of this token`);
    }
    req.tenantId = tenantId;
    return true;
  }

  private tenantOf(token: string): string | undefined {
    return tenantOfToken(this.config, token);
  }
}

/** The tenant an API token belongs to (constant-time comparison), or undefined. */
export function tenantOfToken(config: AppConfig, token: string): string | undefined {
  const given = Buffer.from(token);
  for (const [known, tenant] of config.apiTokens) {
    const candidate = Buffer.from(known);
    if (candidate.length === given.length && timingSafeEqual(candidate, given)) return tenant;
  }
  return undefined;
}
