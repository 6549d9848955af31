import request from 'supertest';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { SimRequest } from './support/hook-server';
import { ESC_CREDENTIALS, Stack, startStack, TENANT_A, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;

/**
 * ESC's callbacks never reach the gateway (PUBLIC_URL points nowhere, as behind a wrong firewall
 * rule): after ESC_CALLBACK_TIMEOUT_SECONDS the worker asks ESC itself (GET) and goes on.
 */
describe('when ESC callbacks are lost', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let manifestId: string;

  beforeAll(async () => {
    stack = await startStack({ publicUrl: 'http://127.0.0.1:9', escCallbackTimeoutSeconds: 1 });
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    manifestId = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('lost callbacks ASA')).expect(200)).body.serviceManifestId;
  });
  afterAll(() => stack?.close());

  const get = async (id: string) => (await http.get(`/cam/composer/api/v1/ServiceInstances/${id}`).set('Authorization', A)).body;

  it('reconciles deploy and terminate from GET /v0/deployments/{id}', async () => {
    const id = (await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody('lost-1', { image: 'ASA' })).expect(200)).body.id;
    const active = await waitFor(() => get(id), (i) => i.Status !== 'Submitted' && i.Status !== 'In_Progress', 'the deploy to be reconciled');
    expect(active.Status).toBe('Active');
    expect(active.logs).toMatch(/no final callback from ESC after 1 s; GET \/v0\/deployments\/ceg-[0-9a-f-]{36} answered SERVICE_ACTIVE_STATE/);
    // the VMs come from ESC's answer to GET
    expect(active.esc.deployments[0].vms).toEqual([expect.objectContaining({ group: 'ASA-1', state: 'VM_ALIVE', ip_addresses: ['18.0.0.16'] })]);
    const internalId = active.esc.deployments[0].internal_deployment_id;
    const gets = ((await request(stack.sim.baseUrl).get('/_sim/requests')).body as Array<{ method: string; path: string }>).filter((r) => r.method === 'GET');
    expect(gets.map((r) => r.path)).toContain(`/ESCManager/v0/deployments/${internalId}`);
    const { rows } = await stack.db.query('SELECT count(*)::int AS n FROM esc_callback');
    expect(rows[0].n).toBe(0);

    await http.post(`/cam/composer/api/v1/ServiceInstances/${id}/terminate`).set('Authorization', A).send({}).expect(200);
    const gone = await waitFor(() => get(id), (i) => i.Status !== 'Terminating', 'the terminate to be reconciled');
    expect(gone.Status).toBe('Terminated');
    expect(gone.logs).toMatch(/GET \/v0\/deployments\/ceg-[0-9a-f-]{36} answered not found: the deployment is gone/);
  });

  it('a create that reaches ESC late, after it went again under a fresh id: the 409 on the fresh one finds the first, and the step takes its id back', async () => {
    const sim = () => request(stack.sim.baseUrl);
    const posts = async () => ((await sim().get('/_sim/requests')).body as SimRequest[]).filter((r) => r.method === 'POST' && r.path.includes('/v0/deployments/'));
    const before = (await posts()).length;
    // the first create is held, then dropped unapplied; the fresh one (.r2) is refused for 2 s
    await sim().post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, dropRequest: true, delayMs: 1000, times: 1 }).expect(201);
    const id = (await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody('lost-late-create', { image: 'ASA' })).expect(200)).body.id;
    const [first] = (await waitFor(posts, (p) => p.length === before + 1, 'the first create to reach ESC')).slice(before);
    const internalId = first.path.split('/').pop()!;
    await sim().post('/_sim/faults').send({ operation: 'create', match: { internalId: `${internalId}.r2` }, respond: { status: 503, body: 'busy', headers: { 'Retry-After': '2' } }, times: 1 }).expect(201);
    await waitFor(posts, (p) => p.length === before + 2, 'the create to go again as .r2');
    // meanwhile the first create arrives after all (a proxy held it); its callbacks are lost like all others here
    const headers = Object.fromEntries(Object.entries(first.headers).filter(([k]) => !['authorization', 'content-length', 'host', 'connection'].includes(k.toLowerCase())));
    await sim().post(first.path).set(headers).auth(ESC_CREDENTIALS.username, ESC_CREDENTIALS.password).send(first.body!).expect((r) => expect(r.status).toBeLessThan(300));

    const done = await waitFor(() => get(id), (i) => i.Status === 'Active' || i.Status === 'Error', 'the deploy to end', 30_000);
    expect(done.Status).toBe('Active');
    expect(done.esc.deployments[0].internal_deployment_id).toBe(internalId);
    expect(done.logs).toContain(`ESC refused ${internalId}.r2 (409); ESC holds deployment ${internalId}, from an earlier attempt that reached it late`);
    const sent = (await posts()).slice(before).map((r) => r.path.split('/').pop());
    // the first, the fresh one refused for now (503), the first as ESC saw it late (this test), the fresh one refused by name (409): no other id was ever sent
    expect(sent.slice(0, 4)).toEqual([internalId, `${internalId}.r2`, internalId, `${internalId}.r2`]);
    expect(new Set(sent)).toEqual(new Set([internalId, `${internalId}.r2`]));
    const onEsc = async (i: string) => (await sim().get(`/ESCManager/v0/deployments/${i}`).auth(ESC_CREDENTIALS.username, ESC_CREDENTIALS.password)).status;
    expect(await onEsc(internalId)).toBe(200);
    expect(await onEsc(`${internalId}.r2`)).toBe(404);
  });
});
