import { Injectable } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { OidcDiscovery } from '../../auth/oidc-discovery';

/**
 * How the console's login page may log in: always with a token; and, when CONSOLE_OIDC_CLIENT_ID
 * names the console's client at OIDC_ISSUER, at the provider's own page (authorization code with
 * PKCE, in the browser) with the endpoints of its discovery document. Nothing secret: a public
 * client has no secret, and these are what the provider publishes.
 */
@Injectable()
export class GetLoginOptionsUseCase {
  constructor(
    private readonly config: AppConfig,
    private readonly discovery: OidcDiscovery,
  ) {}

  async execute() {
    const client = this.config.consoleOidc;
    if (!client || !this.config.oidc) return { token: true, oidc: null };
    const base = { issuer: this.config.oidc.issuer, client_id: client.clientId, scope: client.scope, token: client.token };
    try {
      const doc = await this.discovery.document();
      if (!doc.authorization_endpoint || !doc.token_endpoint) return { token: true, oidc: { ...base, error: "the identity provider's discovery document names no authorization_endpoint or token_endpoint" } };
      return { token: true, oidc: { ...base, authorization_endpoint: doc.authorization_endpoint, token_endpoint: doc.token_endpoint, ...(doc.end_session_endpoint ? { end_session_endpoint: doc.end_session_endpoint } : {}) } };
    } catch {
      return { token: true, oidc: { ...base, error: "the identity provider's discovery document could not be read: log in with a token, or try again" } };
    }
  }
}
