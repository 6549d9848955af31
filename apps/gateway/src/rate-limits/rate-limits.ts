import { ExecutionContext, SetMetadata } from '@nestjs/common';
import { ThrottlerOptions } from '@nestjs/throttler';
import { RateLimits } from '@cam-esc/config';
import { createHash } from 'node:crypto';
import { AuthenticatedRequest, Principal } from '../auth/principal';

/** The rate limits, by name: each counts calls per window for its own kind of caller. */
export enum RateLimitName {
  /** Per API token, or per JWT subject. */
  Token = 'token',
  /** Per tenant, all its callers together. */
  Tenant = 'tenant',
  /** Per source address, on the ESC callback endpoint only (ESC sends many, and sends no bearer token). */
  Callbacks = 'callbacks',
}

/** Who a limit counts for, in words for the 429's message. */
export const COUNTED_PER: Record<RateLimitName, string> = {
  [RateLimitName.Token]: 'token',
  [RateLimitName.Tenant]: 'tenant',
  [RateLimitName.Callbacks]: 'source address of ESC callbacks',
};

const PER_SOURCE_ADDRESS = 'rateLimitedPerSourceAddress';
/** A controller whose calls are limited per source address (the callbacks limit), not per token and tenant. */
export const RateLimitedPerSourceAddress = () => SetMetadata(PER_SOURCE_ADDRESS, true);

function perSourceAddress(context: ExecutionContext): boolean {
  return Reflect.getMetadata(PER_SOURCE_ADDRESS, context.getClass()) === true;
}

/** A caller as the token limit counts it: a JWT subject is the identity provider's, unique only within its tenant (and may be absent). */
function callerOf(principal: Principal): string {
  return `${principal.via}:${principal.tenantId}:${principal.subject}`;
}

function principalOf(context: ExecutionContext) {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
}

/**
 * The throttlers of the configured limits (a limit of 0 is none). The token and tenant limits
 * count every call a caller makes, whatever the route (the library's default key is per route);
 * they run after BearerAuthGuard, which names the caller, and skip calls without one (health,
 * metrics, docs, callbacks).
 */
export function rateLimitThrottlers(limits: RateLimits): ThrottlerOptions[] {
  const all: Array<ThrottlerOptions & { limit: number }> = [
    { name: RateLimitName.Token, limit: limits.perToken, ttl: limits.windowMs, skipIf: (c) => !principalOf(c), getTracker: (_req, c) => callerOf(principalOf(c)!) },
    { name: RateLimitName.Tenant, limit: limits.perTenant, ttl: limits.windowMs, skipIf: (c) => !principalOf(c), getTracker: (_req, c) => principalOf(c)!.tenantId },
    { name: RateLimitName.Callbacks, limit: limits.callbacksPerSource, ttl: limits.windowMs, skipIf: (c) => !perSourceAddress(c) },
  ];
  return all.filter((t) => t.limit > 0);
}

/** One counter per limit and caller across every route; the caller's name hashed (a key never holds a tenant's or subject's own words). */
export function rateLimitKey(prefix: string, tracker: string, name: string): string {
  return `${prefix}:rate:${name}:${createHash('sha256').update(tracker).digest('hex').slice(0, 32)}`;
}
