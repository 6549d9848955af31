/**
 * Rate limits per token and per tenant, whatever the route, counted in Redis so that they hold
 * across gateway replicas (and in the gateway itself while Redis is away); the ESC callback
 * endpoint has its own limit per source address. A call over a limit is a 429 in CAM's error
 * shape, naming the limit, with Retry-After.
 */
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AppConfig } from '../libs/config/src';
import { createGateway } from '../apps/gateway/src/bootstrap';
import { Stack, startStack, TENANT_A, TENANT_B } from './support/stack';
import { testRunSettings } from './support/settings';
import { startTcpProxy, TcpProxy } from './support/tcp-proxy';

const onRedis = testRunSettings().queueBackend === 'redis';
const A = `Bearer ${TENANT_A.token}`;
const A_VIEWER = 'Bearer token-a-viewer';
const B = `Bearer ${TENANT_B.token}`;
const C = 'Bearer token-c';
const READS = ['/cam/composer/api/v1/Service', '/cam/api/v1/templates', '/cam/composer/api/v1/ServiceInstances', '/cam/composer/api/v1/icons', '/cam/api/v1/sharedparameters'];

describe('rate limits', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  const replicas: INestApplication[] = [];
  let redisProxy: TcpProxy | undefined;

  const replica = async (env: Record<string, string> = {}) => {
    const app = await createGateway(AppConfig.fromEnv({ ...stack.env, ...env }));
    replicas.push(app);
    await app.listen(0, '127.0.0.1');
    return request((await app.getUrl()).replace('[::1]', '127.0.0.1'));
  };

  beforeAll(async () => {
    stack = await startStack({
      worker: false,
      env: {
        API_TOKENS: `${TENANT_A.tenant}:${TENANT_A.token},${TENANT_A.tenant}:token-a-viewer:viewer,${TENANT_B.tenant}:${TENANT_B.token},tenant-c:token-c`,
        RATE_LIMIT_WINDOW_SECONDS: '60',
        RATE_LIMIT_PER_TOKEN: '5',
        RATE_LIMIT_PER_TENANT: '8',
        RATE_LIMIT_CALLBACKS: '4',
      },
    });
    http = request(stack.gatewayUrl);
  }, 60_000);
  afterAll(async () => {
    for (const app of replicas) await app.close();
    await redisProxy?.close();
    await stack?.close();
  });

  it('counts a token\'s calls across routes, and answers the call over its limit with 429, Retry-After and the limit\'s name', async () => {
    for (const path of READS) await http.get(path).set('Authorization', A).expect(200);
    const refused = await http.get(READS[0]).set('Authorization', A).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.body.error).toEqual({ statusCode: 429, name: 'TOO_MANY_REQUESTS', code: 'RATE_LIMITED', message: expect.stringMatching(/^rate limit per token reached: at most 5 calls in 60 s; try again in \d+ s$/) });
    // a change is refused too, before anything is written
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'limited', version: '1', type: 'ESC', content: '<esc_datamodel/>' }).expect(429);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM esc_template WHERE name = 'limited'`)).rows[0].n).toBe(0);
    // nor audited (a client flooding past its limit would write a row a call): the audit writes every 100 ms
    await new Promise((r) => setTimeout(r, 400));
    expect((await stack.db.query('SELECT count(*)::int AS n FROM audit_entry WHERE status = 429')).rows[0].n).toBe(0);
  });

  it("counts a tenant's tokens together, and leaves other tenants and the unauthenticated routes alone", async () => {
    // tenant-a has made 5 counted calls (those refused for the token limit never reached the tenant's)
    for (let i = 0; i < 3; i++) await http.get(READS[i]).set('Authorization', A_VIEWER).expect(200);
    const refused = await http.get(READS[3]).set('Authorization', A_VIEWER).expect(429);
    expect(refused.body.error.message).toMatch(/^rate limit per tenant reached: at most 8 calls in 60 s/);
    await http.get(READS[0]).set('Authorization', B).expect(200);
    for (let i = 0; i < 10; i++) await http.get('/health').expect(200);
  });

  it('limits ESC callbacks per source address with a limit of their own', async () => {
    for (let i = 0; i < 4; i++) await http.post('/esc/callbacks/no-such-token').set('Content-Type', 'application/xml').send('<x/>').expect(404);
    const refused = await http.post('/esc/callbacks/no-such-token').set('Content-Type', 'application/xml').send('<x/>').expect(429);
    expect(refused.body.error.message).toMatch(/^rate limit per source address of ESC callbacks reached: at most 4 calls in 60 s/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // tenant-b's own calls are not the callbacks'
    await http.get(READS[1]).set('Authorization', B).expect(200);
  });

  it('names in /metrics the calls each limit refused', async () => {
    const metrics = (await http.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^cam_esc_rate_limited_total\{limit="token"\} 2$/m);
    expect(metrics).toMatch(/^cam_esc_rate_limited_total\{limit="tenant"\} 1$/m);
    expect(metrics).toMatch(/^cam_esc_rate_limited_total\{limit="callbacks"\} 1$/m);
  });

  (onRedis ? it : it.skip)('holds a limit across gateway replicas sharing Redis', async () => {
    const second = await replica();
    // tenant-b has made 2 calls on the first gateway
    for (let i = 0; i < 3; i++) await second.get(READS[i]).set('Authorization', B).expect(200);
    const refused = await second.get(READS[3]).set('Authorization', B).expect(429);
    expect(refused.body.error.message).toMatch(/per token/);
    await http.get(READS[3]).set('Authorization', B).expect(429);
  });

  (onRedis ? it : it.skip)('counts in the gateway itself while Redis is away: no call fails for the limit\'s sake', async () => {
    redisProxy = await startTcpProxy(Number(new URL(testRunSettings().redisUrl).port || 6379));
    const third = await replica({ REDIS_URL: `redis://127.0.0.1:${redisProxy.port}` });
    await third.get(READS[0]).set('Authorization', C).expect(200);
    await redisProxy.cut();
    // counted afresh in this process: 5 calls pass, the 6th is refused
    for (let i = 0; i < 5; i++) await third.get(READS[i]).set('Authorization', C).expect(200);
    await third.get(READS[0]).set('Authorization', C).expect(429);
    await redisProxy.restore();
  });
});
