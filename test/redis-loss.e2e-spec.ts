/**
 * The queue store (Redis) loses its data while work is in flight: the worker notices within
 * seconds (its mark in the store is gone) and makes every in-flight job again from PostgreSQL,
 * rather than leaving the instance to the next 5-minute sweep.
 */
import request from 'supertest';
import { deleteRedisKeys } from '../libs/jobs/src/queue-backend';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { testRunSettings } from './support/settings';
import { Stack, startStack, TENANT_A, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;

const onRedis = testRunSettings().queueBackend === 'redis';

(onRedis ? describe : describe.skip)('Redis loses its data mid-deploy', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    // a lost final callback is looked for after 2 s; the 5-minute sweep is far beyond this test
    stack = await startStack({ escCallbackTimeoutSeconds: 2 });
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
  });
  afterAll(() => stack?.close());

  it('the overdue check of a deploy whose callbacks are lost was in Redis: it is made again, and the deploy ends Active', async () => {
    const manifestId = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA redis loss')).expect(200)).body.serviceManifestId;
    // ESC makes the deployment but its callbacks never come: only the delayed overdue check (in Redis) would end the step
    await request(stack.sim.baseUrl).post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, silent: true, times: 1 }).expect(201);
    const id = (await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody('redis-loss-01', { image: 'ASA' })).expect(200)).body.id;
    const get = async () => (await http.get(`/cam/composer/api/v1/ServiceInstances/${id}`).set('Authorization', A)).body;
    await waitFor(get, (i) => i.esc.deployments[0]?.status === 'Deploying', 'ESC to accept the deployment');
    // Redis restarts empty: the queued and delayed jobs of this suite are gone
    await deleteRedisKeys(testRunSettings().redisUrl, `${stack.queue.prefix}:*`);
    const lostAt = Date.now();
    const done = await waitFor(get, (i) => i.Status === 'Active' || i.Status === 'Error', 'the deploy to end after Redis lost its data', 30_000);
    expect(done.Status).toBe('Active');
    expect(Date.now() - lostAt).toBeLessThan(20_000);
    expect(done.logs).toContain('no final callback from ESC');
  });
});
