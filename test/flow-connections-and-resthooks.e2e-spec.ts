import request from 'supertest';
import { HookServer, SimRequest, startHookServer } from './support/hook-server';
import { RunningEscSim, startEscSim } from '../apps/esc-sim/src/esc-sim';
import { childText, parseXml, rootElement } from '../libs/esc/src/datamodel/xml-tree';
import { deployBody } from './support/payloads';
import { flowService, RESOURCE_TEMPLATES, templateStep, vnfFlowSteps } from './support/flow-payloads';
import { ESC_CREDENTIALS, Stack, startStack, TENANT_A, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;

describe('flows on named ESC connections, resthooks, shared parameters and hostile values', () => {
  let stack: Stack;
  let siteB: RunningEscSim;
  let http: ReturnType<typeof request>;
  let hooks: HookServer;
  let elsewhere: HookServer;

  const instance = async (id: string) => (await http.get(`/cam/composer/api/v1/ServiceInstances/${id}`).set('Authorization', A)).body;
  const untilStatus = (id: string, ...statuses: string[]) => waitFor(() => instance(id), (i) => statuses.includes(i.Status), `instance ${id} to become ${statuses.join('|')}`);
  const simRequests = async (sim: RunningEscSim): Promise<SimRequest[]> => (await request(sim.baseUrl).get('/_sim/requests')).body;
  const publish = async (doc: object) => {
    const created = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(doc).expect(200);
    await http.post(`/cam/composer/api/v1/ServiceManifest/${created.body.serviceManifestId}/publish`).set('Authorization', A).expect(200);
    return created.body.serviceManifestId as string;
  };
  const deploy = (manifestId: string, name: string, values: Record<string, unknown> = {}) =>
    http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy?tenantId=tenant-a`).set('Authorization', A).send(deployBody(name, values));
  const hookFlow = (name: string, resthooks: unknown[], sequence: string[], templates: unknown[] = [], inputs?: unknown[]) =>
    publish(flowService(name, templates, sequence, { resthooks, ...(inputs && { input_parameters: inputs }) }));

  beforeAll(async () => {
    stack = await startStack({ escCallbackTimeoutSeconds: 2 });
    http = request(stack.gatewayUrl);
    siteB = await startEscSim({ callbackDelayMs: 5, username: 'site-b-admin', password: 'site-b-pw' });
    hooks = await startHookServer((hit) => {
      if (hit.url.startsWith('/fail')) return { status: 500, body: { error: 'the IPAM is down' } };
      if (hit.url.startsWith('/hang')) return { status: 200, hang: true };
      if (hit.url.startsWith('/away')) return { status: 302, headers: { Location: `${elsewhere.url}/stolen` } };
      if (hit.url.startsWith('/here')) return { status: 307, headers: { Location: '/vlan' } };
      return { status: 200, body: { vlan: 42, owner: 'ipam' } };
    });
    elsewhere = await startHookServer(() => ({ status: 200, body: { ok: true } }));
    for (const [kind, content] of Object.entries(RESOURCE_TEMPLATES)) {
      await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: `vnf-${kind}`, version: '1.0', type: 'ESC', content }).expect(201);
    }
  });
  afterAll(async () => {
    await hooks?.close();
    await elsewhere?.close();
    await siteB?.close();
    await stack?.close();
  });

  it('runs each step on the ESC connection it names (or a connection parameter picks), and a connection in use cannot be deleted', async () => {
    const conn = await http
      .post('/cam/api/v1/connections')
      .set('Authorization', A)
      .send({ name: 'site-b', url: siteB.url, username: 'site-b-admin', password: 'site-b-pw' })
      .expect(201);
    // a connection is addressed by its id or its name
    expect((await http.post('/cam/api/v1/connections/site-b/test').set('Authorization', A)).body).toMatchObject({ name: 'site-b', reachable: true, authenticated: true });
    const templates = [templateStep({ id: 'tenant1', template: 'tenant', params: { name: 'local' }, connection: 'default' }), templateStep({ id: 'image1', template: 'image', params: { name: 'remote-img' }, connection: '${input_parameters.site}' })];
    const manifestId = await publish(flowService('Two sites', templates, ['tenant1', 'image1'], { input_parameters: [{ name: 'site', type: 'connection', default: 'site-b' }] }));
    const [beforeA, beforeB] = [(await simRequests(stack.sim)).length, (await simRequests(siteB)).length];
    const res = await deploy(manifestId, 'two-sites');
    expect(res.status).toBe(200);
    const active = await untilStatus(res.body.id, 'Active', 'Error');
    expect(active.Status).toBe('Active');
    const onA = (await simRequests(stack.sim)).slice(beforeA).filter((r) => r.method === 'POST');
    const onB = (await simRequests(siteB)).slice(beforeB).filter((r) => r.method === 'POST');
    expect(onA.map((r) => r.path)).toEqual([expect.stringMatching(/^\/ESCManager\/v0\/tenants\/ceg-/)]);
    expect(onB.map((r) => r.path)).toEqual([expect.stringMatching(/^\/ESCManager\/v0\/images\/ceg-/)]);
    // both sims require their own Basic credentials (a wrong one is a 401): each step was accepted with its connection's
    expect(onB[0].headers.authorization).toBe('Basic [REDACTED]');
    expect((await request(siteB.url).get('/v0/images').auth(ESC_CREDENTIALS.username, ESC_CREDENTIALS.password)).status).toBe(401);
    expect(Object.fromEntries(active.esc.resources.map((r: { step_id: string; connection: string }) => [r.step_id, r.connection]))).toEqual({ tenant1: 'default', image1: 'site-b' });
    expect(active.esc.resources.find((r: { step_id: string }) => r.step_id === 'image1').outputs).toMatchObject({ created_at: expect.any(String), external_image_id: expect.any(String) });

    const inUse = await http.delete(`/cam/api/v1/connections/${conn.body.id}`).set('Authorization', A);
    expect(inUse.status).toBe(409);
    await http.post(`/cam/composer/api/v1/ServiceInstances/${res.body.id}/terminate`).set('Authorization', A).expect(200);
    expect((await untilStatus(res.body.id, 'Terminated', 'Error')).Status).toBe('Terminated');
    expect((await simRequests(siteB)).filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([onB[0].path]);
    await http.delete(`/cam/api/v1/connections/${conn.body.id}`).set('Authorization', A).expect(204);

    const unknown = await deploy(manifestId, 'nowhere', { site: 'site-z' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain("'site' names the ESC connection 'site-z', which does not exist");
  });

  it('a resthook calls out with its headers and payload, and the next step reads its answer; its secret stays out of every answer and log', async () => {
    const hook = { resthook: { id: 'ipam', url: `${hooks.url}/vlan?for=\${svc_instance.name}`, method: 'POST', headers: { Authorization: 'Bearer ${input_parameters.api_token}' }, payload: { vnf: '${svc_instance.name}' } } };
    const tenant = templateStep({ id: 'tenant1', template: 'tenant', params: { name: 'vlan-${templates.ipam.vlan}' } });
    const manifestId = await hookFlow('Resthook then tenant', [hook], ['ipam', 'tenant1'], [tenant]);
    const res = await deploy(manifestId, 'hooked', { api_token: 'tok-very-secret' });
    expect(res.status).toBe(200);
    const active = await untilStatus(res.body.id, 'Active', 'Error');
    expect(active.Status).toBe('Active');
    const hit = hooks.hits.find((h) => h.url === '/vlan?for=hooked')!;
    expect(hit).toMatchObject({ method: 'POST', headers: expect.objectContaining({ authorization: 'Bearer tok-very-secret', 'content-type': 'application/json' }) });
    expect(JSON.parse(hit.body)).toEqual({ vnf: 'hooked' });
    const byStep = Object.fromEntries(active.esc.resources.map((r: { step_id: string }) => [r.step_id, r]));
    expect(byStep.ipam.outputs).toMatchObject({ status: 'SUCCESS', status_code: '200', vlan: '42' });
    expect(byStep.tenant1.name).toMatch(/^vlan-42-/);
    expect(JSON.stringify(active)).not.toContain('tok-very-secret');
  });

  it.each([
    ['a non-2xx answer fails the flow', '/fail', {}, 'resthook answered HTTP 500'],
    ['a redirect to another host is not followed', '/away', {}, 'redirect to another origin'],
    ['a call without an answer times out', '/hang', { timeout: 1 }, 'no answer within 1 s'],
  ])('%s', async (_what, path, extra, message) => {
    const manifestId = await hookFlow(`Hook ${path}`, [{ resthook: { id: 'h1', url: `${hooks.url}${path}`, method: 'GET', ...extra } }], ['h1']);
    const res = await deploy(manifestId, `hook${path.slice(1)}`);
    const failed = await untilStatus(res.body.id, 'Error', 'Active');
    expect(failed.Status).toBe('Error');
    expect(failed.logs).toContain(message);
    expect(elsewhere.hits).toHaveLength(0);
  });

  it('follows a redirect within the same host, and goes on after a failure the step tolerates (ignore_errors)', async () => {
    const manifestId = await hookFlow(
      'Hooks tolerated',
      [{ resthook: { id: 'h1', url: `${hooks.url}/fail`, method: 'GET', ignore_errors: true } }, { resthook: { id: 'h2', url: `${hooks.url}/here`, method: 'GET' } }],
      ['h1', 'h2'],
    );
    const res = await deploy(manifestId, 'tolerant');
    const done = await untilStatus(res.body.id, 'Active', 'Error');
    expect(done.Status).toBe('Active');
    const byStep = Object.fromEntries(done.esc.resources.map((r: { step_id: string }) => [r.step_id, r]));
    expect(byStep.h1.outputs).toMatchObject({ status: 'FAILED', status_code: '500' });
    expect(byStep.h2.outputs).toMatchObject({ status: 'SUCCESS', vlan: '42' });
  });

  it('a resthook never calls a link-local or metadata address: the step fails saying why, nothing is sent', async () => {
    const manifestId = await hookFlow('Hook to metadata', [{ resthook: { id: 'meta', url: 'http://169.254.169.254/latest/meta-data/iam', method: 'GET' } }], ['meta']);
    const res = await deploy(manifestId, 'metadata-hook');
    const done = await untilStatus(res.body.id, 'Active', 'Error');
    expect(done.Status).toBe('Error');
    expect(done.logs).toMatch(/outbound call refused: host '169\.254\.169\.254' is \(or resolves to\) 169\.254\.169\.254, a link-local or cloud metadata address/);
  });

  it('a shared parameter gives its values to a flow; its secured values are never shown', async () => {
    await http
      .post('/cam/api/v1/sharedparameters')
      .set('Authorization', A)
      .send({ name: 'proxy-east', datatype: 'httpproxy', values: { host: 'proxy.east.example', password: 'proxy-pw-9' }, secured_keys: ['password'] })
      .expect(201);
    const hook = { resthook: { id: 'h1', url: `${hooks.url}/vlan?proxy=\${input_parameters.proxy.host}`, method: 'POST', payload: { auth: '${input_parameters.proxy.password}' } } };
    const manifestId = await hookFlow('Hook via proxy', [hook], ['h1'], [], [{ name: 'proxy', type: 'sharedparameter', datatype: 'httpproxy', default: 'proxy-east' }]);
    const res = await deploy(manifestId, 'proxied');
    const done = await untilStatus(res.body.id, 'Active', 'Error');
    expect(done.Status).toBe('Active');
    const hit = hooks.hits.find((h) => h.url === '/vlan?proxy=proxy.east.example')!;
    expect(JSON.parse(hit.body)).toEqual({ auth: 'proxy-pw-9' });
    expect(JSON.stringify(done)).not.toContain('proxy-pw-9');
    const wrongType = await hookFlow('Hook wrong datatype', [hook], ['h1'], [], [{ name: 'proxy', type: 'sharedparameter', datatype: 'bastionhost', default: 'proxy-east' }]);
    const refused = await deploy(wrongType, 'wrong');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("of datatype 'httpproxy'; this parameter takes datatype 'bastionhost'");
  });

  it('a hostile value reaches ESC as text and never changes the XML; a character XML cannot carry is a 400 naming the parameter', async () => {
    const manifestId = await publish(flowService('Hostile values', vnfFlowSteps().slice(0, 3), ['tenant1', 'net1', 'subnet1']));
    const hostile = `10.0.0.0/24</cidr><evil/>&amp;"']]>é`;
    const before = (await simRequests(stack.sim)).length;
    const res = await deploy(manifestId, 'hostile', { cidr: hostile });
    expect(res.status).toBe(200);
    await untilStatus(res.body.id, 'Active', 'Error');
    const subnet = (await simRequests(stack.sim)).slice(before).find((r) => r.method === 'POST' && r.path.includes('/subnets/'))!;
    const root = rootElement(parseXml(subnet.body!))!;
    expect(childText(root, 'cidr')).toBe(hostile);
    expect(subnet.body).not.toContain('<evil/>');

    const bell = await deploy(manifestId, 'bell', { cidr: '10.0.0.0/24\u0007' });
    expect(bell.status).toBe(400);
    expect(bell.body.error.message).toContain("resourceProperties.specifications.cidr: 'cidr' holds the character U+0007, which XML cannot carry");
  });

  it('reconciles a resource whose callback is lost with the GET of its own kind', async () => {
    await request(stack.sim.baseUrl).post('/_sim/faults').send({ resource: 'flavor', operation: 'create', match: { name: 'quiet' }, silent: true }).expect(201);
    const manifestId = await publish(flowService('Quiet flavor', [templateStep({ id: 'flavor1', template: 'flavor', params: { name: 'quiet' } })], ['flavor1']));
    const res = await deploy(manifestId, 'quiet');
    const done = await waitFor(() => instance(res.body.id), (i) => i.Status === 'Active' || i.Status === 'Error', 'the flavor to be reconciled', 30_000);
    expect(done.Status).toBe('Active');
    expect(done.logs).toMatch(/no final callback from ESC after 2 s; GET \/v0\/flavors\/ceg-[0-9a-f-]{36} answered present on ESC/);
  });
});
