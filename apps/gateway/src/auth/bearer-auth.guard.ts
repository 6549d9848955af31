import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '@cam-esc/config';
import { DomainErrorCode, DomainException } from '@cam-esc/errors';
import { createHash, timingSafeEqual } from 'node:crypto';
import { JwtVerifier, looksLikeJwt } from './jwt-verifier';
import { MUTATING_METHODS } from '../common/http/methods';
import { AuthenticatedRequest, Principal } from './principal';
import { grants, READ_ROLE, REQUIRED_ROLE, Role } from './roles';

export type { AuthenticatedRequest } from './principal';

export const IS_PUBLIC = 'isPublic';
/** Routes that authenticate otherwise (ESC callbacks) or not at all (health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * `Authorization: Bearer <token>`: an API token of API_TOKENS, or a JWT of the identity provider
 * (JwtVerifier); either decides the tenant and the roles. A `tenantId` query parameter (CAM
 * clients always send one) must then name that same tenant. The call's role (RequiresRole; a read
 * needs `viewer`, an undeclared change `admin`) must be one the caller holds: else a 403 naming it.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly config: AppConfig,
    private readonly reflector: Reflector,
    private readonly jwt: JwtVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match) throw new DomainException(DomainErrorCode.UNAUTHENTICATED, 'Authorization: Bearer <token> is required');
    const principal = await this.principalOf(match[1]);
    // known from here on: a refusal below is the caller's, and audited as such
    req.principal = principal;
    const asked = req.query.tenantId;
    if (asked !== undefined && asked !== principal.tenantId) {
      throw new DomainException(DomainErrorCode.FORBIDDEN, `tenantId '${String(asked).slice(0, 128)}' is not the tenant of this token`);
    }
    const needed = requiredRole(this.reflector, context, req.method);
    if (!grants(principal.roles, needed)) {
      throw new DomainException(DomainErrorCode.FORBIDDEN, `this call needs the role '${needed}' (the caller has: ${principal.roles.join(', ') || 'no role'})`);
    }
    req.tenantId = principal.tenantId;
    return true;
  }

  private async principalOf(token: string): Promise<Principal> {
    const byToken = apiTokenOf(this.config, token);
    // the subject tells a tenant's tokens apart without naming them: a short hash
    if (byToken) return { tenantId: byToken.tenantId, roles: [byToken.role as Role], subject: `token:${byToken.tenantId}:${createHash('sha256').update(token).digest('hex').slice(0, 8)}`, via: 'api-token' };
    if (this.jwt.enabled && looksLikeJwt(token)) return this.jwt.verify(token);
    throw new DomainException(DomainErrorCode.UNAUTHENTICATED, 'the bearer token is not valid');
  }
}

/** The role a call needs: a read's (`viewer` unless it says; OPTIONS and HEAD read too), a change's (its own, its controller's, or `admin`). */
export function requiredRole(reflector: Reflector, context: ExecutionContext, method: string): Role {
  if (!MUTATING_METHODS.has(method)) return reflector.get<Role | undefined>(READ_ROLE, context.getHandler()) ?? Role.Viewer;
  return reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]) ?? Role.Admin;
}

/** The tenant and role of an API token (constant-time comparison), or undefined. */
export function apiTokenOf(config: AppConfig, token: string): { tenantId: string; role: string } | undefined {
  const given = Buffer.from(token);
  let found: { tenantId: string; role: string } | undefined;
  for (const [known, entry] of config.apiTokens) {
    const candidate = Buffer.from(known);
    if (candidate.length === given.length && timingSafeEqual(candidate, given)) found = entry;
  }
  return found;
}
