/**
 * SIGTERM: a worker stops taking jobs, finishes the step it is sending (ESC's answer is recorded,
 * nothing is sent twice) and exits 0; a gateway stops taking connections, ends its live streams
 * and exits 0. What they leave is taken over by the others.
 */
import request from 'supertest';
import { AppProcess, freePort, startGatewayProcess, startWorkerProcess } from './support/gateway-process';
import { SimRequest } from './support/hook-server';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { openSse } from './support/sse-client';
import { Stack, startStack, TENANT_A, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const API = '/cam/composer/api/v1/ServiceInstances';

describe('graceful shutdown (SIGTERM)', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let manifestId: string;
  const workers: AppProcess[] = [];

  beforeAll(async () => {
    // no worker in this process: the only ones are the processes this suite starts and stops
    stack = await startStack({ worker: false });
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    manifestId = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA shutdown')).expect(200)).body.serviceManifestId;
  }, 90_000);
  afterAll(async () => {
    for (const w of workers) await w.kill();
    await stack?.close();
  });

  it('a worker finishes the ESC request it is waiting on, exits 0, and the next worker completes the deploy with one ESC create', async () => {
    const first = await startWorkerProcess(stack.env);
    workers.push(first);
    // ESC takes 2 s to answer the create: the SIGTERM comes while the worker waits for it
    await request(stack.sim.baseUrl).post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, delayMs: 2000, times: 1 }).expect(201);
    const id = (await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody('shutdown-01', { image: 'ASA' })).expect(200)).body.id;
    const posted = () => request(stack.sim.baseUrl).get('/_sim/requests').then((r) => (r.body as SimRequest[]).filter((q) => q.method === 'POST' && q.path.includes('/v0/deployments/')));
    await waitFor(posted, (p) => p.length === 1, 'the create to reach ESC');
    const stoppedAt = Date.now();
    const code = await first.stop();
    expect(code).toBe(0);
    // it waited for ESC's answer (2 s) rather than dropping the step
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(1000);
    expect(first.output()).toContain('the worker stopped cleanly');
    const [audit] = (await http.get(`${API}/${id}/escRequests`).set('Authorization', A)).body;
    expect(audit).toMatchObject({ status: expect.stringMatching(/Accepted|Succeeded/), http_status: 200 });

    const second = await startWorkerProcess(stack.env);
    workers.push(second);
    const done = await waitFor(async () => (await http.get(`${API}/${id}`).set('Authorization', A)).body, (i) => i.Status === 'Active' || i.Status === 'Error', 'the next worker to complete the deploy', 30_000);
    expect(done.Status).toBe('Active');
    expect(await posted()).toHaveLength(1);
  });

  it('a gateway stops taking connections, ends its live streams (clients reconnect elsewhere) and exits 0', async () => {
    const gateway = await startGatewayProcess(stack.env, await freePort());
    const stream = await openSse(`${gateway.url}${API}/events`, { Authorization: A });
    const code = await gateway.stop();
    expect(code).toBe(0);
    // the stream ended with the process (a hanging stream would have held its server open)
    await expect(Promise.race([stream.ended.then(() => 'ended'), new Promise((r) => setTimeout(() => r('open'), 2000))])).resolves.toBe('ended');
    // exit 0 comes only from the clean path (drained, closed); a timeout or a failed close exits 1
    expect(await request(gateway.url).get('/health').then((r) => r.status).catch(() => 'refused')).toBe('refused');
  });
});
