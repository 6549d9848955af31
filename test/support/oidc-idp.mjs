// An identity provider for the console's login tests: panva's oidc-provider (a certified OpenID
// Provider), run as its own process (it is ESM), with its development login page (any user name,
// any password). The console is a public client (no secret, PKCE); the access tokens are JWTs for
// the gateway's audience, carrying the tenant and roles claims the gateway reads.
//
//   node test/support/oidc-idp.mjs   with PORT, REDIRECT_URI, CLIENT_ID, AUDIENCE
//
// A user logs in as "<tenant>/<role>" (e.g. tenant-a/operator). ACCESS_TOKEN_TTL (seconds, 300)
// makes them short-lived. Prints "ready" once it listens.
import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';

const { PORT, REDIRECT_URI, CLIENT_ID, AUDIENCE } = process.env;
const accessTokenTTL = Number(process.env.ACCESS_TOKEN_TTL ?? 300);
const issuer = `http://127.0.0.1:${PORT}`;
const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const key = { ...(await exportJWK(privateKey)), kid: 'test-idp', alg: 'RS256', use: 'sig' };

const account = (id) => {
  const [tenant, role] = id.split('/');
  return { tenant, roles: role ? [role] : [] };
};

const provider = new Provider(issuer, {
  clients: [{ client_id: CLIENT_ID, token_endpoint_auth_method: 'none', redirect_uris: [REDIRECT_URI], post_logout_redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] }],
  jwks: { keys: [key] },
  cookies: { keys: ['test-idp-cookie-key'] },
  pkce: { required: () => true },
  scopes: ['openid', 'offline_access'],
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => AUDIENCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: 'cam', audience: AUDIENCE, accessTokenFormat: 'jwt', accessTokenTTL, jwt: { sign: { alg: 'RS256' } } }),
    },
  },
  extraTokenClaims: (_ctx, token) => (token.accountId ? account(token.accountId) : {}),
  // the user is not asked to consent: the grant is made as the session starts
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid offline_access');
    grant.addResourceScope(AUDIENCE, 'cam');
    await grant.save();
    return grant;
  },
  // a refresh token with every code (the console renews its bearer with it), without offline_access and consent
  issueRefreshToken: () => true,
  clientBasedCORS: () => true,
});
provider.proxy = false;
provider.listen(Number(PORT), '127.0.0.1', () => console.log('ready'));
