/**
 * ESC trouble: a controller that answers 503 during failover, drops an answer after applying the
 * request, or is away for a while. The request is sent again (backoff, Retry-After), ESC is asked
 * before a request whose answer was lost is sent again, and the callbacks of that first attempt are
 * applied: every action ends in the right state, with ESC holding exactly one of everything.
 */
import request from 'supertest';
import { SimRequest } from './support/hook-server';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { ESC_CREDENTIALS, Stack, startStack, TENANT_A, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const API = '/cam/composer/api/v1/ServiceInstances';

describe('ESC trouble: retries, lost answers, a controller away', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let manifestId: string;

  const instance = async (id: string) => (await http.get(`${API}/${id}`).set('Authorization', A)).body;
  const untilStatus = (id: string, ...statuses: string[]) => waitFor(() => instance(id), (i) => statuses.includes(i.Status), `instance ${id} to become ${statuses.join('|')}`);
  const sim = () => request(stack.sim.baseUrl);
  const simRequests = async (): Promise<SimRequest[]> => (await sim().get('/_sim/requests')).body;
  const fault = (rule: object) => sim().post('/_sim/faults').send(rule).expect(201);
  const deploy = async (name: string) => (await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody(name, { image: 'ASA' })).expect(200)).body.id as string;
  const onEsc = async (internalId: string) => (await sim().get(`/ESCManager/v0/deployments/${internalId}`).auth(ESC_CREDENTIALS.username, ESC_CREDENTIALS.password)).status;

  beforeAll(async () => {
    // waits of up to 400 ms (full jitter), 12 attempts: a controller away for under a second is ridden out
    stack = await startStack({ env: { ESC_RETRY_LIMIT: '12', ESC_RETRY_BASE_MS: '400', ESC_RETRY_MAX_MS: '400' } });
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    manifestId = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA under trouble')).expect(200)).body.serviceManifestId;
  });
  afterEach(() => sim().delete('/_sim/faults'));
  afterAll(() => stack?.close());

  it('sends a create ESC answers 503 (Retry-After) again, with the same internal id, until ESC takes it', async () => {
    await fault({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, respond: { status: 503, body: 'failover in progress', headers: { 'Retry-After': '1' } }, times: 2 });
    const before = (await simRequests()).length;
    const id = await deploy('trouble-503');
    const done = await untilStatus(id, 'Active', 'Error');
    expect(done.Status).toBe('Active');
    const posts = (await simRequests()).slice(before).filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(3);
    expect(new Set(posts.map((r) => r.path)).size).toBe(1);
    // Retry-After: 1 was honoured between the attempts
    expect(Date.parse(posts[2].receivedAt) - Date.parse(posts[0].receivedAt)).toBeGreaterThanOrEqual(1900);
    expect(done.logs).toContain('ESC answered HTTP 503 to POST');
    expect(done.logs).toContain('(attempt 3 of 12)');
    const [audit] = (await http.get(`${API}/${id}/escRequests`).set('Authorization', A)).body;
    expect(audit).toMatchObject({ status: 'Succeeded', http_status: 200 });
  });

  it('a single 500 to a terminate\'s DELETE is sent again, and the instance ends Terminated', async () => {
    const id = await deploy('trouble-500');
    const active = await untilStatus(id, 'Active', 'Error');
    const internalId = active.esc.deployments[0].internal_deployment_id;
    await fault({ operation: 'delete', match: { internalId }, respond: { status: 500, body: 'internal error' }, times: 1 });
    await http.post(`${API}/${id}/terminate`).set('Authorization', A).send({}).expect(200);
    const done = await untilStatus(id, 'Terminated', 'Error');
    expect(done.Status).toBe('Terminated');
    expect(await onEsc(internalId)).toBe(404);
  });

  it('a create whose answer is lost is not sent twice: its callbacks (with the transaction id the gateway never saw) end the step', async () => {
    await fault({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, loseAnswer: true, times: 1 });
    const before = (await simRequests()).length;
    const id = await deploy('trouble-lost-create');
    const done = await untilStatus(id, 'Active', 'Error');
    expect(done.Status).toBe('Active');
    const internalId = done.esc.deployments[0].internal_deployment_id;
    expect((await simRequests()).slice(before).filter((r) => r.method === 'POST' && r.path.endsWith(internalId))).toHaveLength(1);
    expect(done.esc.deployments[0].vms).toEqual([expect.objectContaining({ state: 'VM_ALIVE' })]);
    const [audit] = (await http.get(`${API}/${id}/escRequests`).set('Authorization', A)).body;
    expect(audit.callbacks.map((c: { outcome: string }) => c.outcome)).toEqual(['Applied', 'Applied', 'Applied']);
    expect(audit.esc_transaction_id).toBe(audit.callbacks[0].esc_transaction_id);
  });

  it('a create dropped before ESC applied it (no answer either) goes again under a fresh internal id: ESC holds one deployment, under the new id', async () => {
    await fault({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, dropRequest: true, times: 1 });
    const before = (await simRequests()).length;
    const id = await deploy('trouble-dropped-create');
    const done = await untilStatus(id, 'Active', 'Error');
    expect(done.Status).toBe('Active');
    const internalId: string = done.esc.deployments[0].internal_deployment_id;
    expect(internalId).toMatch(/\.r2$/);
    const first = internalId.replace(/\.r2$/, '');
    const sent = (await simRequests()).slice(before).filter((r) => r.path.includes(first));
    // the first POST, the GET that finds nothing, then the POST under the new id
    expect(sent.map((r) => `${r.method} ${r.path.endsWith(internalId) ? 'new' : 'first'}`)).toEqual(['POST first', 'GET first', 'POST new']);
    expect(await onEsc(first)).toBe(404);
    expect(await onEsc(internalId)).toBe(200);
    expect(done.logs).toContain(`sending it again as ${internalId}`);
    expect(done.esc.deployments[0].vms).toEqual([expect.objectContaining({ state: 'VM_ALIVE' })]);
    // terminate deletes what ESC holds, under the id it holds it by
    await http.post(`${API}/${id}/terminate`).set('Authorization', A).send({}).expect(200);
    expect((await untilStatus(id, 'Terminated', 'Error')).Status).toBe('Terminated');
    expect(await onEsc(internalId)).toBe(404);
  });

  it('a create that reaches ESC late, after it went again under a fresh id: the step takes the first id back (its callbacks name it), and nothing stays under the fresh one', async () => {
    // the first create is held, then dropped unapplied; the fresh one (.r2) is refused for 2 s
    await fault({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, dropRequest: true, delayMs: 1000, times: 1 });
    const before = (await simRequests()).length;
    const id = await deploy('trouble-late-create');
    const [first] = await waitFor(async () => (await simRequests()).slice(before).filter((r) => r.method === 'POST'), (p) => p.length === 1, 'the first create to reach ESC');
    const internalId = first.path.split('/').pop()!;
    await fault({ operation: 'create', match: { internalId: `${internalId}.r2` }, respond: { status: 503, body: 'busy', headers: { 'Retry-After': '2' } }, times: 1 });
    await waitFor(async () => (await simRequests()).slice(before).filter((r) => r.method === 'POST'), (p) => p.length === 2, 'the create to go again as .r2');
    // meanwhile the first create arrives after all (a proxy that held it): ESC makes it and calls back to its URL
    const headers = Object.fromEntries(Object.entries(first.headers).filter(([k]) => !['authorization', 'content-length', 'host', 'connection'].includes(k.toLowerCase())));
    await sim().post(first.path).set(headers).auth(ESC_CREDENTIALS.username, ESC_CREDENTIALS.password).send(first.body!).expect((r) => expect(r.status).toBeLessThan(300));

    const done = await untilStatus(id, 'Active', 'Error');
    expect(done.Status).toBe('Active');
    expect(done.esc.deployments[0].internal_deployment_id).toBe(internalId);
    expect(done.logs).toMatch(new RegExp(`ESC holds deployment ${internalId.replace(/\./g, '\\.')}, from an earlier attempt that reached it late: that one is this step's \\(${internalId.replace(/\./g, '\\.')}\\.r2 is given up\\)`));
    expect(done.esc.deployments[0].vms).toEqual([expect.objectContaining({ state: 'VM_ALIVE' })]);
    expect(await onEsc(internalId)).toBe(200);
    expect(await onEsc(`${internalId}.r2`)).toBe(404);
    const audit = (await http.get(`${API}/${id}/escRequests`).set('Authorization', A)).body;
    expect(audit[0].callbacks.filter((c: { outcome: string }) => c.outcome === 'Unmatched')).toEqual([]);
    await http.post(`${API}/${id}/terminate`).set('Authorization', A).send({}).expect(200);
    expect((await untilStatus(id, 'Terminated', 'Error')).Status).toBe('Terminated');
    expect(await onEsc(internalId)).toBe(404);
  });

  it('a DELETE whose answer is lost: the callbacks of that first DELETE are applied, the VMs end undeployed, ESC holds nothing', async () => {
    const id = await deploy('trouble-lost-delete');
    const active = await untilStatus(id, 'Active', 'Error');
    const internalId = active.esc.deployments[0].internal_deployment_id;
    await fault({ operation: 'delete', match: { internalId }, loseAnswer: true, times: 1 });
    await http.post(`${API}/${id}/terminate`).set('Authorization', A).send({}).expect(200);
    const done = await untilStatus(id, 'Terminated', 'Error');
    expect(done.Status).toBe('Terminated');
    expect(await onEsc(internalId)).toBe(404);
    await waitFor(() => instance(id), (i) => i.esc.deployments[0].vms.every((vm: { state: string }) => vm.state === 'VM_UNDEPLOYED'), 'the VMs to be undeployed');
    const audit = (await http.get(`${API}/${id}/escRequests`).set('Authorization', A)).body;
    const del = audit.find((r: { operation: string }) => r.operation === 'DELETE_DEPLOYMENT');
    expect(del.callbacks.filter((c: { outcome: string }) => c.outcome === 'Unmatched')).toEqual([]);
  });

  it('a controller away for a while (connections refused): the deploy goes through once it is back', async () => {
    await sim().post('/_sim/down').send({ ms: 800 }).expect(201);
    const id = await deploy('trouble-away');
    const done = await untilStatus(id, 'Active', 'Error');
    expect(done.Status).toBe('Active');
    expect(done.logs).toMatch(/ESC did not answer POST .*; sending again in/);
  });

  it('gives up after ESC_RETRY_LIMIT attempts, with ESC\'s last words, and the instance is in Error', async () => {
    await fault({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, respond: { status: 502, body: 'bad gateway' } });
    const id = await deploy('trouble-give-up');
    const failed = await untilStatus(id, 'Error', 'Active');
    expect(failed.Status).toBe('Error');
    expect(failed.logs).toMatch(/ESC answered HTTP 502 to POST \S+: bad gateway; gave up after 12 attempts/);
  });

  describe('with an ESC slower to call back than to be asked again', () => {
    let slow: Stack;
    beforeAll(async () => {
      slow = await startStack({ callbackDelayMs: 1500, env: { ESC_RETRY_BASE_MS: '100', ESC_RETRY_MAX_MS: '200' } });
      const h = request(slow.gatewayUrl);
      await h.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    });
    afterAll(() => slow?.close());

    it('asks ESC before sending a create whose answer was lost again: ESC has it, so it is not sent twice', async () => {
      const h = request(slow.gatewayUrl);
      const manifest = (await h.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA slow ESC')).expect(200)).body.serviceManifestId;
      await request(slow.sim.baseUrl).post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, loseAnswer: true, times: 1 }).expect(201);
      const id = (await h.post(`/cam/composer/api/v1/ServiceManifest/${manifest}/deploy`).set('Authorization', A).send(deployBody('slow-lost-create', { image: 'ASA' })).expect(200)).body.id;
      const get = async () => (await h.get(`${API}/${id}`).set('Authorization', A)).body;
      const done = await waitFor(get, (i) => i.Status === 'Active' || i.Status === 'Error', 'the slow deploy to end');
      expect(done.Status).toBe('Active');
      const internalId = done.esc.deployments[0].internal_deployment_id;
      const sent = ((await request(slow.sim.baseUrl).get('/_sim/requests')).body as SimRequest[]).filter((r) => r.path.endsWith(internalId));
      expect(sent.map((r) => r.method)).toEqual(['POST', 'GET']);
      expect(done.logs).toContain('its answer was lost');
      expect(done.logs).toContain('an earlier attempt reached ESC');
    });
  });
});
