import { AppConfig } from './app-config.service';
import { validateEnvironment } from './environment';

describe('environment', () => {
  it('has the DESIGN §3 defaults', () => {
    const c = AppConfig.fromEnv({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBe('postgresql://postgres@127.0.0.1:5432/cam_esc_gateway');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.esc.url).toBe('http://127.0.0.1:8080/ESCManager');
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
    expect(c.escSimPort).toBe(8080);
    expect(c.usesDefaultApiTokens).toBe(true);
  });

  it('derives ESC_URL and PUBLIC_URL from the ports, and parses API_TOKENS', () => {
    const c = AppConfig.fromEnv({ PORT: '4000', ESC_SIM_PORT: '9090', API_TOKENS: 'acme:t1, globex:t2, acme:t3:viewer' });
    expect(c.esc.url).toBe('http://127.0.0.1:9090/ESCManager');
    expect(c.publicUrl).toBe('http://127.0.0.1:4000');
    // a token without a role is an admin's
    expect([...c.apiTokens]).toEqual([
      ['t1', { tenantId: 'acme', role: 'admin' }],
      ['t2', { tenantId: 'globex', role: 'admin' }],
      ['t3', { tenantId: 'acme', role: 'viewer' }],
    ]);
  });

  it.each([
    ['PORT', 'abc', 'PORT must be an integer'],
    ['PORT', '70000', 'PORT must be between 1 and 65535'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must be a postgresql:// URL'],
    ['REDIS_URL', 'localhost:6379', 'REDIS_URL must be a redis://'],
    ['ESC_URL', 'esc:8080', 'ESC_URL must be an http(s) URL'],
    ['API_TOKENS', 'just-a-token', 'API_TOKENS must be comma-separated tenantId:token pairs'],
    ['WORKER_FLOW_CONCURRENCY', '0', 'WORKER_FLOW_CONCURRENCY must be between 1 and 100'],
    ['WORKER_CALLBACK_CONCURRENCY', 'x', 'WORKER_CALLBACK_CONCURRENCY must be an integer'],
    ['API_TOKENS', 'acme:t1:root', 'API_TOKENS must be comma-separated tenantId:token pairs, each optionally with :role'],
    ['OIDC_ROLE_MAP', 'cam-ops=superuser', 'OIDC_ROLE_MAP must be comma-separated name=role pairs'],
    ['OIDC_CLOCK_SKEW_SECONDS', '900', 'OIDC_CLOCK_SKEW_SECONDS must be between 0 and 300'],
    ['OIDC_ISSUER', 'idp.example', 'OIDC_ISSUER must be the http(s) URL of the identity provider'],
    ['CONSOLE_OIDC_SCOPE', 'profile email', 'CONSOLE_OIDC_SCOPE must include openid'],
    ['CONSOLE_OIDC_TOKEN', 'refresh_token', 'CONSOLE_OIDC_TOKEN must be access_token or id_token'],
    ['CONSOLE_OIDC_CLIENT_ID', 'two words', 'CONSOLE_OIDC_CLIENT_ID must be the client id the provider gave the console'],
    ['ESC_MAX_IN_FLIGHT', '0', 'ESC_MAX_IN_FLIGHT must be between 1 and 1000'],
    ['ESC_TIMEOUT_SECONDS', '301', 'ESC_TIMEOUT_SECONDS must be between 1 and 300'],
  ])('names %s when it is bad', (name, value, message) => {
    expect(() => validateEnvironment({ [name]: value })).toThrow(message);
  });

  it('takes an identity provider only with its audience, and reads its claims as configured', () => {
    expect(() => validateEnvironment({ OIDC_ISSUER: 'https://idp.example' })).toThrow('OIDC_AUDIENCE must be set with OIDC_ISSUER');
    expect(() => validateEnvironment({ OIDC_AUDIENCE: 'cam' })).toThrow('OIDC_ISSUER must be set with OIDC_JWKS_URL or OIDC_AUDIENCE');
    expect(AppConfig.fromEnv({}).oidc).toBeUndefined();
    const { oidc } = AppConfig.fromEnv({ OIDC_ISSUER: 'https://idp.example/realms/ops/', OIDC_AUDIENCE: 'cam', OIDC_ROLE_MAP: 'cam-ops=operator, cam-read=viewer' });
    expect(oidc).toMatchObject({ issuer: 'https://idp.example/realms/ops/', audience: 'cam', tenantClaim: 'tenant', roleClaim: 'roles', clockSkewSeconds: 30 });
    expect([...oidc!.roleMap]).toEqual([
      ['cam-ops', 'operator'],
      ['cam-read', 'viewer'],
    ]);
  });

  it("takes the console's client at the provider only with the provider", () => {
    expect(() => validateEnvironment({ CONSOLE_OIDC_CLIENT_ID: 'cam-console' })).toThrow('OIDC_ISSUER must be set with CONSOLE_OIDC_CLIENT_ID');
    expect(AppConfig.fromEnv({ OIDC_ISSUER: 'https://idp.example', OIDC_AUDIENCE: 'cam' }).consoleOidc).toBeUndefined();
    expect(AppConfig.fromEnv({ OIDC_ISSUER: 'https://idp.example', OIDC_AUDIENCE: 'cam', CONSOLE_OIDC_CLIENT_ID: 'cam-console' }).consoleOidc).toEqual({ clientId: 'cam-console', scope: 'openid', token: 'access_token' });
  });

  it('bounds the built-in ESC connection by ESC_MAX_IN_FLIGHT and ESC_TIMEOUT_SECONDS', () => {
    expect(AppConfig.fromEnv({}).esc).toMatchObject({ maxInFlight: 16, timeoutMs: 30_000 });
    expect(AppConfig.fromEnv({ ESC_MAX_IN_FLIGHT: '4', ESC_TIMEOUT_SECONDS: '5' }).esc).toMatchObject({ maxInFlight: 4, timeoutMs: 5000 });
  });

  it('runs each worker queue at WORKER_CONCURRENCY unless its own variable says otherwise', () => {
    expect(AppConfig.fromEnv({})).toMatchObject({ flowConcurrency: 8, callbackConcurrency: 8 });
    expect(AppConfig.fromEnv({ WORKER_CONCURRENCY: '3' })).toMatchObject({ flowConcurrency: 3, callbackConcurrency: 3 });
    expect(AppConfig.fromEnv({ WORKER_CONCURRENCY: '3', WORKER_CALLBACK_CONCURRENCY: '12' })).toMatchObject({ flowConcurrency: 3, callbackConcurrency: 12 });
  });

  it('never echoes a bad secret', () => {
    expect(() => validateEnvironment({ API_TOKENS: 'bad token value' })).toThrow('(got "***")');
  });
});

describe('environment cross-checks', () => {
  it('refuses ESC_PASSWORD without ESC_USERNAME, and credentials inside ESC_URL', () => {
    expect(() => validateEnvironment({ ESC_PASSWORD: 'x' })).toThrow('ESC_PASSWORD is set without ESC_USERNAME');
    expect(() => validateEnvironment({ ESC_URL: 'http://admin:pw@esc:8080/ESCManager' })).toThrow('ESC_URL must not carry credentials');
  });

  it('does not echo a password found in a bad URL', () => {
    try {
      validateEnvironment({ DATABASE_URL: 'mysql://user:hunter2@db/x' });
      throw new Error('expected a failure');
    } catch (e) {
      expect((e as Error).message).toContain('DATABASE_URL must be a postgresql:// URL');
      expect((e as Error).message).not.toContain('hunter2');
    }
  });
});

describe('SECRETS_KEY', () => {
  const hex = 'ab'.repeat(32);
  const base64 = Buffer.alloc(32, 7).toString('base64');

  it.each([
    ['64 hex characters', hex],
    ['base64', base64],
    ['base64url without padding', Buffer.alloc(32, 0xfb).toString('base64url')],
  ])('takes %s', (_what, value) => {
    expect(AppConfig.fromEnv({ SECRETS_KEY: value }).secretsKey).toHaveLength(32);
  });

  it.each([
    ['too short', 'ab'.repeat(16)],
    ['too long', Buffer.alloc(48, 0xff).toString('base64')],
    ['not hex nor base64', 'z'.repeat(64)],
  ])('stops on a key that is %s, naming the variable and not echoing it', (_what, value) => {
    expect(() => validateEnvironment({ SECRETS_KEY: value })).toThrow(/SECRETS_KEY must be 32 bytes.*\(got "\*\*\*"\)/);
    expect(() => validateEnvironment({ SECRETS_KEY: value })).not.toThrow(value);
  });

  it('keeps the development key file in DATA_DIR, or .data', () => {
    expect(AppConfig.fromEnv({}).secretsKey).toBeUndefined();
    expect(AppConfig.fromEnv({ DATA_DIR: '/var/lib/gw' }).secretsKeyFile).toBe('/var/lib/gw/secrets.key');
    expect(AppConfig.fromEnv({}).secretsKeyFile).toBe(`${process.cwd()}/.data/secrets.key`);
  });
});
