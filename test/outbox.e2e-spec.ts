/**
 * No accepted request without its job: the instance, its action and the job that runs it are
 * committed together (an outbox row), so neither a queue store that is away nor a gateway killed
 * between its commit and its enqueue loses a request.
 */
import request from 'supertest';
import { freePort, GatewayProcess, startGatewayProcess } from './support/gateway-process';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { testRunSettings } from './support/settings';
import { Stack, startStack, TENANT_A, waitFor } from './support/stack';
import { startTcpProxy, TcpProxy } from './support/tcp-proxy';

const A = `Bearer ${TENANT_A.token}`;
const onRedis = testRunSettings().queueBackend === 'redis';

(onRedis ? describe : describe.skip)('the outbox between the API and the queue', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let redis: TcpProxy;
  let manifestId: string;

  const instance = async (id: string) => (await http.get(`/cam/composer/api/v1/ServiceInstances/${id}`).set('Authorization', A)).body;
  const outboxRows = async () => Number((await stack.db.query('SELECT count(*) AS n FROM job_outbox')).rows[0].n);

  beforeAll(async () => {
    // gateway and worker reach Redis through a proxy this suite can cut
    redis = await startTcpProxy(Number(new URL(testRunSettings().redisUrl).port || 6379));
    stack = await startStack({ callbackDelayMs: 400, env: { REDIS_URL: `redis://127.0.0.1:${redis.port}` } });
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    manifestId = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA outbox')).expect(200)).body.serviceManifestId;
  }, 90_000);
  afterAll(async () => {
    await redis?.restore().catch(() => undefined);
    await stack?.close();
    await redis?.close();
  });

  it('with Redis away, a deploy is accepted and persisted at once; /health says what is down; the deploy runs when Redis is back', async () => {
    await redis.cut();
    const started = Date.now();
    const accepted = await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody('outbox-away-01', { image: 'ASA' })).timeout(10_000);
    expect(accepted.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    const id = accepted.body.id;
    expect((await instance(id)).Status).toBe('Submitted');
    expect(await outboxRows()).toBeGreaterThanOrEqual(1);

    const health = await http.get('/health').timeout(10_000);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'error', info: { database: { status: 'up' } }, error: { queue: { status: 'down', backend: 'redis' } } });

    // still nothing happens on ESC: the job waits in the outbox
    await new Promise((r) => setTimeout(r, 1500));
    expect((await instance(id)).Status).toBe('Submitted');
    expect((await request(stack.sim.baseUrl).get('/_sim/requests')).body.filter((r: { method: string }) => r.method === 'POST')).toHaveLength(0);

    await redis.restore();
    const back = Date.now();
    const done = await waitFor(() => instance(id), (i) => i.Status === 'Active' || i.Status === 'Error', 'the deploy to run once Redis is back', 30_000);
    expect(done.Status).toBe('Active');
    expect(Date.now() - back).toBeLessThan(30_000);
    await waitFor(outboxRows, (n) => n === 0, 'the outbox to be empty');
  });

  it("ESC's callbacks that come while Redis is away are stored, answered 2xx and applied when it is back", async () => {
    const id = (await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody('outbox-away-02', { image: 'ASA' })).expect(200)).body.id;
    await waitFor(() => instance(id), (i) => i.esc?.deployments?.[0]?.status === 'Deploying', 'ESC to accept the deployment');
    // the callbacks come 400 ms after ESC's answer: Redis is cut before them
    await redis.cut();
    await waitFor(
      async () => Number((await stack.db.query(`SELECT count(*) AS n FROM esc_callback c JOIN esc_request q ON q.id = c.esc_request_id JOIN esc_resource r ON r.id = q.esc_resource_id WHERE r.service_instance_id = $1`, [id])).rows[0].n),
      (n) => n >= 3,
      'the callbacks to be stored while Redis is away',
    );
    // every attempt ESC made was answered 2xx: nothing for ESC to resend, nothing lost
    const callbacks = (await request(stack.sim.baseUrl).get('/_sim/callbacks')).body as Array<{ attempts: Array<{ status: number }> }>;
    const attempts = callbacks.flatMap((c) => c.attempts.map((a) => a.status));
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts.filter((status) => status < 200 || status >= 300)).toEqual([]);
    expect((await instance(id)).Status).toBe('In_Progress');
    await redis.restore();
    const done = await waitFor(() => instance(id), (i) => i.Status === 'Active' || i.Status === 'Error', 'the stored callbacks to be applied', 30_000);
    expect(done.Status).toBe('Active');
  });

  describe('a gateway killed between its commit and its enqueue', () => {
    let doomed: GatewayProcess;

    beforeAll(async () => {
      // a replica that can never reach the queue store: whatever it accepts exists only in PostgreSQL
      doomed = await startGatewayProcess({ ...stack.env, REDIS_URL: `redis://127.0.0.1:${await freePort()}` }, await freePort());
    }, 90_000);
    afterAll(() => doomed?.stop());

    it('loses nothing: a worker queues the job the dead gateway left in the outbox, within seconds', async () => {
      const accepted = await request(doomed.url).post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody('outbox-killed-01', { image: 'ASA' })).timeout(10_000);
      expect(accepted.status).toBe(200);
      await doomed.kill();
      const killedAt = Date.now();
      const done = await waitFor(() => instance(accepted.body.id), (i) => i.Status === 'Active' || i.Status === 'Error', 'the deploy of the killed gateway to run', 30_000);
      expect(done.Status).toBe('Active');
      // the workers look every second for rows older than 3 s: seconds, not the 5-minute sweep
      expect(Date.now() - killedAt).toBeLessThan(15_000);
      await waitFor(outboxRows, (n) => n === 0, 'the outbox to be empty');
    });
  });
});
