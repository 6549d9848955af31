import { AppConfig } from '@cam-esc/config';
import { OidcDiscovery } from '../../auth/oidc-discovery';
import { GetLoginOptionsUseCase } from './get-login-options.usecase';

const PROVIDER = { OIDC_ISSUER: 'https://idp.example/realms/ops', OIDC_AUDIENCE: 'cam', CONSOLE_OIDC_CLIENT_ID: 'cam-console', CONSOLE_OIDC_SCOPE: 'openid profile' };
const options = (env: Record<string, string>, document: () => Promise<unknown>) => new GetLoginOptionsUseCase(AppConfig.fromEnv(env), { document } as unknown as OidcDiscovery).execute();

describe('GetLoginOptionsUseCase', () => {
  it('offers a token only when the console has no client at a provider', async () => {
    await expect(options({ OIDC_ISSUER: PROVIDER.OIDC_ISSUER, OIDC_AUDIENCE: 'cam' }, () => Promise.reject(new Error('not read')))).resolves.toEqual({ token: true, oidc: null });
  });

  it("names the provider's endpoints from its discovery document", async () => {
    const doc = { issuer: PROVIDER.OIDC_ISSUER, authorization_endpoint: 'https://idp.example/auth', token_endpoint: 'https://idp.example/token', jwks_uri: 'https://idp.example/jwks' };
    await expect(options(PROVIDER, async () => doc)).resolves.toEqual({
      token: true,
      oidc: { issuer: PROVIDER.OIDC_ISSUER, client_id: 'cam-console', scope: 'openid profile', token: 'access_token', authorization_endpoint: 'https://idp.example/auth', token_endpoint: 'https://idp.example/token' },
    });
  });

  it('says why the provider cannot be used when its document cannot be read or names no endpoints', async () => {
    const down = await options(PROVIDER, () => Promise.reject(new Error('ECONNREFUSED')));
    expect(down.oidc).toMatchObject({ client_id: 'cam-console', error: "the identity provider's discovery document could not be read: log in with a token, or try again" });
    expect(down.oidc).not.toHaveProperty('authorization_endpoint');
    const partial = await options(PROVIDER, async () => ({ issuer: PROVIDER.OIDC_ISSUER, jwks_uri: 'https://idp.example/jwks' }));
    expect(partial.oidc).toMatchObject({ error: "the identity provider's discovery document names no authorization_endpoint or token_endpoint" });
  });
});
