import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { request } from 'undici';

/** What the gateway reads of the provider's discovery document (OpenID Connect Discovery 1.0). */
export interface DiscoveryDocument {
  issuer: string;
  jwks_uri?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  end_session_endpoint?: string;
}

/**
 * OIDC_ISSUER's discovery document (<issuer>/.well-known/openid-configuration): read once and
 * kept. A failed read is not tried again for OIDC_JWKS_COOLDOWN_SECONDS (callers get the failure
 * at once, and it is logged once), so that calls, the console's anonymous login page among them,
 * cannot make the gateway hammer a provider that is down. The JWT check takes its jwks_uri, the
 * console's login its endpoints.
 */
@Injectable()
export class OidcDiscovery {
  private readonly logger = new Logger(OidcDiscovery.name);
  private pending?: Promise<DiscoveryDocument>;
  private read?: DiscoveryDocument;
  private failedAt = 0;

  constructor(private readonly config: AppConfig) {}

  /** The document as last read, without waiting (undefined before it was read). */
  get known(): DiscoveryDocument | undefined {
    return this.read;
  }

  document(): Promise<DiscoveryDocument> {
    const oidc = this.config.oidc;
    if (!oidc) return Promise.reject(new Error('no identity provider is configured (OIDC_ISSUER)'));
    if (!this.pending && Date.now() - this.failedAt < oidc.jwksCooldownSeconds * 1000) return Promise.reject(new Error("the provider's discovery document could not be read a moment ago"));
    this.pending ??= this.fetch(oidc.issuer).then(
      (doc) => (this.read = doc),
      (e: unknown) => {
        this.pending = undefined;
        this.failedAt = Date.now();
        throw e;
      },
    );
    return this.pending;
  }

  /** Forgets the document (it lacked what a caller needs): read again once the cooldown has passed. */
  forget(): void {
    this.pending = undefined;
    this.read = undefined;
    this.failedAt = Date.now();
  }

  private async fetch(issuer: string): Promise<DiscoveryDocument> {
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    try {
      const res = await request(url, { headersTimeout: 5000, bodyTimeout: 5000 });
      const doc = (await res.body.json()) as Record<string, unknown>;
      if (res.statusCode !== 200 || typeof doc !== 'object' || doc === null) throw new Error(`HTTP ${res.statusCode}`);
      const text = (key: string) => (typeof doc[key] === 'string' && /^https?:\/\//.test(doc[key] as string) ? (doc[key] as string) : undefined);
      return { issuer: typeof doc.issuer === 'string' ? doc.issuer : issuer, jwks_uri: text('jwks_uri'), authorization_endpoint: text('authorization_endpoint'), token_endpoint: text('token_endpoint'), end_session_endpoint: text('end_session_endpoint') };
    } catch (e) {
      this.logger.error({ url, err: (e as Error).message }, 'could not read the OIDC discovery document');
      throw e;
    }
  }
}

/** The origin of a URL, for a CSP's connect-src ('' when there is none). */
export function originOf(url: string | undefined): string {
  try {
    return url ? new URL(url).origin : '';
  } catch {
    return '';
  }
}
