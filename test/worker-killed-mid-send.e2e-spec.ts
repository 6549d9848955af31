/**
 * A send to ESC is held by the worker that makes it, for as long as that worker lives (its beat in
 * worker_process). A worker SIGKILLed while ESC has not answered leaves the request claimed: another
 * worker takes it over within seconds (not when the claim's minute-long lease ends, nor when BullMQ
 * sees the job stalled), asks ESC whether it got the request, and goes on from what ESC says. A
 * worker that lives keeps its claim however slowly ESC answers: nothing is sent twice.
 */
import request from 'supertest';
import { AppProcess, startWorkerProcess } from './support/gateway-process';
import { SimRequest } from './support/hook-server';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { ESC_CREDENTIALS, Stack, startStack, TENANT_A, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const API = '/cam/composer/api/v1/ServiceInstances';

describe('a worker killed while it sends to ESC', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let manifestId: string;
  const workers: AppProcess[] = [];

  const sim = () => request(stack.sim.baseUrl);
  const creates = async (): Promise<SimRequest[]> => ((await sim().get('/_sim/requests')).body as SimRequest[]).filter((q) => q.method === 'POST' && q.path.includes('/v0/deployments/'));
  const instance = async (id: string) => (await http.get(`${API}/${id}`).set('Authorization', A)).body;
  const deploy = async (name: string) => (await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody(name, { image: 'ASA' })).expect(200)).body.id as string;
  const onEsc = async (internalId: string) => (await sim().get(`/ESCManager/v0/deployments/${internalId}`).auth(ESC_CREDENTIALS.username, ESC_CREDENTIALS.password)).status;
  const worker = async () => {
    const w = await startWorkerProcess(stack.env);
    workers.push(w);
    return w;
  };

  beforeAll(async () => {
    // only the worker processes this suite starts and kills; a request ESC sends no callback for is asked about (GET) after 3 s
    stack = await startStack({ worker: false, escCallbackTimeoutSeconds: 3 });
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    manifestId = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA kill mid-send')).expect(200)).body.serviceManifestId;
  }, 90_000);
  afterEach(async () => {
    await sim().delete('/_sim/faults');
    for (const w of workers.splice(0)) await w.kill();
  });
  afterAll(() => stack?.close());

  it('takes the send over within seconds of the kill, asks ESC first, and ESC ends up with one deployment', async () => {
    const first = await worker();
    const second = await worker();
    // ESC keeps the create for 20 s and then drops it unapplied: the worker holding it is killed meanwhile
    await sim().post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, dropRequest: true, delayMs: 20_000, times: 1 }).expect(201);
    const before = (await creates()).length;
    const id = await deploy('killed-mid-send');
    await waitFor(creates, (c) => c.length === before + 1, 'the create to reach ESC');
    const holder = (await stack.db.query<{ sent_by: string }>(`SELECT r.sent_by FROM esc_request r JOIN esc_resource res ON res.id = r.esc_resource_id WHERE res.service_instance_id = $1`, [id])).rows[0].sent_by;
    const [victim, survivor] = holder.includes(`:${first.pid}:`) ? [first, second] : [second, first];
    expect(holder).toContain(`:${victim.pid}:`);
    const killedAt = Date.now();
    await victim.kill();

    // a claim outlived its holder by 10 s at most, the watch looks every 3 s: the deploy ends well within the 30 s the guarantee allows
    const done = await waitFor(() => instance(id), (i) => i.Status === 'Active' || i.Status === 'Error', 'the survivor to complete the deploy', 30_000);
    expect(done.Status).toBe('Active');
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    expect(done.logs).toMatch(/stopped mid-send; ESC is asked whether it got it before it is sent again/);
    // ESC did not have it (GET: 404): it went again under a fresh internal id, and ESC holds just that one
    const internalId: string = done.esc.deployments[0].internal_deployment_id;
    expect(internalId).toMatch(/\.r2$/);
    expect(await onEsc(internalId.replace(/\.r2$/, ''))).toBe(404);
    expect(await onEsc(internalId)).toBe(200);
    expect((await creates()).length - before).toBe(2);
    expect(survivor.output()).toContain('took over a send whose worker is gone');
  }, 60_000);

  it('a worker that lives keeps its claim while ESC takes longer than the takeover delay: the create is sent once', async () => {
    await worker();
    await worker();
    const before = (await creates()).length;
    // ESC answers 14 s late (past the 10 s after which a silent worker counts as gone) and sends no
    // callback meanwhile: the request stays Pending, claimed, all that time; the GET after it ends the step
    await sim().post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, delayMs: 14_000, silent: true, times: 1 }).expect(201);
    const startedAt = Date.now();
    const id = await deploy('slow-answer-live-worker');
    const done = await waitFor(() => instance(id), (i) => i.Status === 'Active' || i.Status === 'Error', 'the deploy to complete', 40_000);
    expect(done.Status).toBe('Active');
    expect(Date.now() - startedAt).toBeGreaterThan(14_000);
    expect((await creates()).length - before).toBe(1);
    expect(done.logs).not.toMatch(/stopped mid-send/);
    expect(done.esc.deployments[0].internal_deployment_id).not.toMatch(/\.r\d+$/);
  }, 60_000);
});
