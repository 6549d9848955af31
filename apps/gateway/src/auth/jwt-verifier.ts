import { Injectable } from '@nestjs/common';
import { AppConfig, OidcConfig } from '@cam-esc/config';
import { DomainErrorCode, DomainException } from '@cam-esc/errors';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify } from 'jose';
import { OidcDiscovery } from './oidc-discovery';
import { Principal } from './principal';
import { isRole, Role } from './roles';

/** Signature algorithms a token may use (asymmetric only: never `none`, never a shared secret). */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Looks like a JWS compact serialization: three base64url parts. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

/**
 * Bearer JWTs of the operator's identity provider (OIDC_ISSUER's discovery document, or
 * OIDC_JWKS_URL): signature by a key of its JWKS (cached, fetched again when a token names an
 * unknown `kid`), issuer, audience and expiry checked with a bounded clock skew (jose). The claims
 * give the tenant and the roles, as configured.
 */
@Injectable()
export class JwtVerifier {
  private readonly oidc?: OidcConfig;
  private jwks?: Promise<ReturnType<typeof createRemoteJWKSet>>;

  constructor(
    config: AppConfig,
    private readonly discovery: OidcDiscovery,
  ) {
    this.oidc = config.oidc;
  }

  get enabled(): boolean {
    return this.oidc !== undefined;
  }

  async verify(token: string): Promise<Principal> {
    const oidc = this.oidc;
    if (!oidc) throw unauthenticated('the bearer token is not valid');
    const keys = await this.keys(oidc);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: oidc.issuer,
        audience: oidc.audience,
        algorithms: ALGORITHMS,
        clockTolerance: oidc.clockSkewSeconds,
        requiredClaims: ['exp'],
      }));
    } catch (e) {
      // the provider's keys could not be read: not the caller's fault
      if (!(e instanceof errors.JOSEError) || e instanceof errors.JWKSTimeout || e.code === 'ERR_JOSE_GENERIC') throw providerAway();
      throw unauthenticated(`the bearer token is not valid: ${why(e)}`);
    }
    const tenantId = claim(payload, oidc.tenantClaim);
    if (typeof tenantId !== 'string' || !/^[A-Za-z0-9._-]{1,128}$/.test(tenantId)) throw unauthenticated(`the bearer token names no tenant (claim '${oidc.tenantClaim}')`);
    const claimed = claim(payload, oidc.roleClaim);
    const names = (Array.isArray(claimed) ? claimed : typeof claimed === 'string' ? claimed.split(/[ ,]+/) : []).filter((n): n is string => typeof n === 'string');
    // with a map, only the names it maps count (a provider's group that happens to be called "admin" grants nothing)
    const roles = [...new Set(names.map((n) => (oidc.roleMap.size ? oidc.roleMap.get(n) : n)).filter(isRole))] as Role[];
    return { tenantId, roles, subject: typeof payload.sub === 'string' ? payload.sub.slice(0, 200) : 'unknown', via: 'jwt' };
  }

  /** The provider's key set: OIDC_JWKS_URL, or the jwks_uri of OIDC_ISSUER's discovery document (read once; again after a failure). */
  private keys(oidc: OidcConfig): Promise<ReturnType<typeof createRemoteJWKSet>> {
    this.jwks ??= (async () => {
      const url = oidc.jwksUrl ?? (await this.discoverJwksUri());
      return createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: oidc.jwksCooldownSeconds * 1000, cacheMaxAge: 600_000 });
    })().catch((e: unknown) => {
      // read again by the next token
      this.jwks = undefined;
      throw e;
    });
    return this.jwks;
  }

  private async discoverJwksUri(): Promise<string> {
    const doc = await this.discovery.document().catch(() => {
      throw providerAway();
    });
    if (!doc.jwks_uri) {
      this.discovery.forget();
      throw providerAway();
    }
    return doc.jwks_uri;
  }
}

/** A claim by name, or by a dotted path into nested claims (Keycloak's realm_access.roles). */
export function claim(payload: JWTPayload, name: string): unknown {
  if (name in payload) return payload[name];
  return name.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), payload);
}

function providerAway(): DomainException {
  return new DomainException(DomainErrorCode.UNAVAILABLE, "the identity provider's keys could not be read to check the token; try again");
}

function unauthenticated(message: string): DomainException {
  return new DomainException(DomainErrorCode.UNAUTHENTICATED, message);
}

/** What was wrong with a token, in words that give nothing away. */
function why(e: unknown): string {
  if (e instanceof errors.JWTExpired) return 'it has expired';
  if (e instanceof errors.JWTClaimValidationFailed) return `its '${e.claim}' claim is not accepted`;
  if (e instanceof errors.JOSEAlgNotAllowed) return 'its signature algorithm is not accepted';
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (e instanceof errors.JWKSNoMatchingKey) return 'it is signed by no key of the identity provider';
  return 'it is not a valid signed JWT';
}
