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
    const c = AppConfig.fromEnv({ PORT: '4000', ESC_SIM_PORT: '9090', API_TOKENS: 'acme:t1, globex:t2' });
    expect(c.esc.url).toBe('http://127.0.0.1:9090/ESCManager');
    expect(c.publicUrl).toBe('http://127.0.0.1:4000');
    expect([...c.apiTokens]).toEqual([
      ['t1', 'acme'],
      ['t2', 'globex'],
    ]);
  });

  it.each([
    ['PORT', 'abc', 'PORT must be an integer'],
    ['PORT', '70000', 'PORT must be between 1 and 65535'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must be a postgresql:// URL'],
    ['REDIS_URL', 'localhost:6379', 'REDIS_URL must be a redis://'],
    ['ESC_URL', 'esc:8080', 'ESC_URL must be an http(s) URL'],
    ['API_TOKENS', 'just-a-token', 'API_TOKENS must be comma-separated tenantId:token pairs'],
  ])('names %s when it is bad', (name, value, message) => {
    expect(() => validateEnvironment({ [name]: value })).toThrow(message);
  });

  it('never echoes a bad secret', () => {
    expect(() => validateEnvironment({ API_TOKENS: 'bad token value' })).toThrow('(got "***")');
  });
});
