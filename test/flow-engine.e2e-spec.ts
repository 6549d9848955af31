import request from 'supertest';
import { SimRequest, startHookServer } from './support/hook-server';
import { childText, parseXml, rootElement, selectAll } from '../libs/esc/src/datamodel/xml-tree';
import { deployBody } from './support/payloads';
import { flowService, RESOURCE_TEMPLATES, templateStep, vnfFlowSteps } from './support/flow-payloads';
import { Stack, startStack, TENANT_A, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;

describe('flow engine: every ESC resource, outputs between steps, resthooks, error_sequence, dry run', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;

  const instance = async (id: string) => (await http.get(`/cam/composer/api/v1/ServiceInstances/${id}`).set('Authorization', A)).body;
  const untilStatus = (id: string, ...statuses: string[]) => waitFor(() => instance(id), (i) => statuses.includes(i.Status), `instance ${id} to become ${statuses.join('|')}`);
  const simRequests = async (sim = stack.sim): Promise<SimRequest[]> => (await request(sim.baseUrl).get('/_sim/requests')).body;
  const publish = async (doc: object) => {
    const created = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(doc).expect(200);
    await http.post(`/cam/composer/api/v1/ServiceManifest/${created.body.serviceManifestId}/publish`).set('Authorization', A).expect(200);
    return created.body.serviceManifestId as string;
  };
  const deploy = (manifestId: string, name: string, values: Record<string, unknown> = {}, query = '') =>
    http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy?tenantId=tenant-a${query}`).set('Authorization', A).send(deployBody(name, values));

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
    for (const [kind, content] of Object.entries(RESOURCE_TEMPLATES)) {
      await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: `vnf-${kind}`, version: '1.0', type: 'ESC', content }).expect(201);
    }
  });
  afterAll(() => stack?.close());

  it('provisions tenant → network → subnet → image → flavor → deployment in order, each step reading the outputs of the ones before, and terminates in reverse', async () => {
    const manifestId = await publish(flowService('VNF with networks', vnfFlowSteps(), ['tenant1', 'net1', 'subnet1', 'image1', 'flavor1', 'dep1']));
    const before = (await simRequests()).length;
    const res = await deploy(manifestId, 'vnf-01', { cidr: '10.20.0.0/24' });
    expect(res.body.error?.message).toBeUndefined();
    expect(res.status).toBe(200);
    const active = await untilStatus(res.body.id, 'Active', 'Error');
    expect(active.logs).not.toContain('failed');
    expect(active.Status).toBe('Active');

    const sent = (await simRequests()).slice(before).filter((r) => r.method === 'POST');
    const paths = sent.map((r) => r.path.replace(/ceg-[0-9a-f-]{36}/g, 'ID'));
    expect(paths).toEqual(['/ESCManager/v0/tenants/ID', '/ESCManager/v0/ID/networks/ID', '/ESCManager/v0/ID/subnets/ID', '/ESCManager/v0/images/ID', '/ESCManager/v0/flavors/ID', '/ESCManager/v0/deployments/ID']);
    const resources: Array<{ step_id: string; kind: string; internal_id: string; name: string; status: string; outputs: Record<string, string> }> = active.esc.resources;
    const by = Object.fromEntries(resources.map((r) => [r.step_id, r]));
    expect(Object.fromEntries(resources.map((r) => [r.step_id, `${r.kind}:${r.status}`]))).toEqual({
      tenant1: 'tenant:Active',
      net1: 'network:Active',
      subnet1: 'subnet:Active',
      image1: 'image:Active',
      flavor1: 'flavor:Active',
      dep1: 'deployment:Active',
    });
    // the network lives in the tenant the first step made, and the subnet in that network
    expect(sent[1].path).toBe(`/ESCManager/v0/${by.tenant1.internal_id}/networks/${by.net1.internal_id}`);
    const subnet = rootElement(parseXml(sent[2].body!))!;
    expect(childText(subnet, 'internal_network_id')).toBe(by.net1.internal_id);
    expect(childText(subnet, 'cidr')).toBe('10.20.0.0/24');
    // names are the gateway's, unique in ESC
    expect(by.tenant1.name).toBe(`vnf-tenant-${by.tenant1.internal_id.slice(4)}`);
    // the deployment goes into the new tenant, with the new image and network by the names ESC knows them
    const datamodel = rootElement(parseXml(sent[5].body!))!;
    const [tenant] = selectAll(datamodel, ['tenants', 'tenant']);
    expect(childText(tenant, 'name')).toBe(by.tenant1.internal_id);
    const [group] = selectAll(tenant, ['deployments', 'deployment', 'vm_group']);
    expect(childText(group, 'image')).toBe(by.image1.name);
    expect(childText(selectAll(group, ['interfaces', 'interface'])[0], 'network')).toBe(by.net1.name);
    // outputs carry what ESC's callbacks reported
    expect(by.tenant1.outputs).toMatchObject({ internal_tenant_id: by.tenant1.internal_id, external_tenant_id: expect.any(String) });
    expect(by.image1.outputs.external_image_id).toEqual(expect.any(String));

    const mark = (await simRequests()).length;
    await http.post(`/cam/composer/api/v1/ServiceInstances/${res.body.id}/terminate`).set('Authorization', A).expect(200);
    const terminated = await untilStatus(res.body.id, 'Terminated', 'Error');
    expect(terminated.Status).toBe('Terminated');
    const deletes = (await simRequests()).slice(mark).filter((r) => r.method === 'DELETE').map((r) => r.path);
    expect(deletes).toEqual([
      `/ESCManager/v0/deployments/${by.dep1.internal_id}`,
      `/ESCManager/v0/flavors/${by.flavor1.internal_id}`,
      `/ESCManager/v0/images/${by.image1.internal_id}`,
      `/ESCManager/v0/${by.tenant1.internal_id}/subnets/${by.subnet1.internal_id}`,
      `/ESCManager/v0/${by.tenant1.internal_id}/networks/${by.net1.internal_id}`,
      `/ESCManager/v0/tenants/${by.tenant1.internal_id}`,
    ]);
    expect(terminated.esc.resources.every((r: { status: string }) => r.status === 'Undeployed')).toBe(true);
    await request(stack.sim.url).get(`/v0/tenants/${by.tenant1.internal_id}`).auth('admin', 'esc-secret-pw').expect(404);
  });

  it('a volume goes into the tenant an earlier step made, and is deleted before it', async () => {
    const steps = [
      templateStep({ id: 'tenant1', template: 'tenant', params: { name: 'storage' } }),
      templateStep({ id: 'vol1', template: 'volume', params: { name: 'data', tenant: '${templates.tenant1.internal_tenant_id}', size: '${input_parameters.size}' } }),
    ];
    const manifestId = await publish(flowService('VNF storage', steps, ['tenant1', 'vol1'], { input_parameters: [{ name: 'size', type: 'counter', default: 10, range: { min: 1, max: 100 } }] }));
    expect((await deploy(manifestId, 'too-big', { size: 500 })).body.error.message).toContain("'size' must be at most 100 (got 500)");
    const res = await deploy(manifestId, 'storage-01', { size: 20 });
    const active = await untilStatus(res.body.id, 'Active', 'Error');
    expect(active.Status).toBe('Active');
    const kindOf = (kind: string) => active.esc.resources.find((r: { kind: string }) => r.kind === kind);
    const [tenant, volume] = [kindOf('tenant'), kindOf('volume')];
    expect(volume).toMatchObject({ kind: 'volume', esc_tenant: tenant.internal_id, outputs: expect.objectContaining({ internal_volume_id: volume.internal_id, internal_tenant_id: tenant.internal_id }) });
    await request(stack.sim.url).get(`/v0/${tenant.internal_id}/volumes/${volume.internal_id}`).auth('admin', 'esc-secret-pw').expect(200);
    await http.post(`/cam/composer/api/v1/ServiceInstances/${res.body.id}/terminate`).set('Authorization', A).expect(200);
    expect((await untilStatus(res.body.id, 'Terminated', 'Error')).Status).toBe('Terminated');
    await request(stack.sim.url).get(`/v0/${tenant.internal_id}/volumes/${volume.internal_id}`).auth('admin', 'esc-secret-pw').expect(404);
  });

  it('dry run: validates like a deploy and shows every rendered request in order, secrets masked, writing and sending nothing', async () => {
    const hook = { resthook: { id: 'notify', url: 'http://127.0.0.1:9/hooks/${svc_instance.name}', method: 'POST', headers: { Authorization: 'Bearer ${input_parameters.api_token}' }, payload: { token: '${input_parameters.api_token}', vnf: '${templates.dep1.name}' } } };
    const manifestId = await publish(flowService('VNF dry run', vnfFlowSteps(), ['tenant1', 'net1', 'subnet1', 'image1', 'flavor1', 'dep1', 'notify'], { resthooks: [hook] }));
    const instancesBefore = (await http.get('/cam/composer/api/v1/ServiceInstances').set('Authorization', A)).body.length;
    const simBefore = (await simRequests()).length;
    const res = await deploy(manifestId, 'vnf-dry', { api_token: 'tok-SECRET-42' }, '&dryRun=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, valid: true, action: 'Provision', plan: 'Standard' });
    expect(res.body.steps.map((s: { step_id: string; kind: string; method: string }) => `${s.step_id}:${s.kind}:${s.method}`)).toEqual([
      'tenant1:tenant:POST',
      'net1:network:POST',
      'subnet1:subnet:POST',
      'image1:image:POST',
      'flavor1:flavor:POST',
      'dep1:deployment:POST',
      'notify:resthook:POST',
    ]);
    expect(res.body.steps[0]).toMatchObject({ connection: 'default', connection_url: stack.sim.url, path: expect.stringMatching(/^\/v0\/tenants\//), body: expect.stringContaining('<tenant') });
    // earlier steps' outputs are not known before they run: the references stay as written
    expect(res.body.steps[1].path).toContain('${templates.tenant1.internal_tenant_id}');
    expect(res.body.steps[6]).toMatchObject({ path: 'http://127.0.0.1:9/hooks/vnf-dry', headers: { Authorization: 'Bearer *******' } });
    expect(JSON.stringify(res.body)).not.toContain('tok-SECRET-42');
    expect((await http.get('/cam/composer/api/v1/ServiceInstances').set('Authorization', A)).body.length).toBe(instancesBefore);
    expect((await simRequests()).length).toBe(simBefore);

    const bad = await deploy(manifestId, 'vnf-dry', { cidr: 7, nope: 1 }, '&dryRun=true');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("'nope' is not an input parameter");
    // the parameters' problems and the flow's come in one answer
    const broken = await publish(flowService('VNF broken refs', [templateStep({ id: 'tenant1', template: 'tenant', params: { name: '${templates.net9.name}' } })], ['tenant1', 'ghost']));
    const both = await deploy(broken, 'x', { nope: 1 }, '&dryRun=true');
    expect(both.status).toBe(400);
    expect(both.body.error.message).toContain("'nope' is not an input parameter");
    expect(both.body.error.message).toContain("flow.sequence.1 names 'ghost'");
    expect(both.body.error.message).toContain("refers to ${templates.net9.name}, but step 'net9' does not run before this one");
    expect((await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy?dryRun=maybe`).set('Authorization', A).send(deployBody('x', {}))).status).toBe(400);
  });

  it('a failing middle step runs the error_sequence (a resthook told why), and terminate deletes what was made', async () => {
    const hooks = await startHookServer(() => ({ status: 200, body: { ticket: 'INC-1' } }));
    try {
      const onError = { resthook: { id: 'tellops', url: `${hooks.url}/incidents`, method: 'POST', payload: { vnf: '${svc_instance.name}', why: '${svc_instance.error.message}' } } };
      const manifestId = await publish(flowService('VNF failing subnet', vnfFlowSteps(), ['tenant1', 'net1', 'subnet1', 'image1'], { resthooks: [onError], error_sequence: ['tellops'] }));
      await request(stack.sim.baseUrl).post('/_sim/faults').send({ resource: 'subnet', operation: 'create', match: { name: 'broken' }, callback: { statusCode: 500, message: 'no IPs left in the pool' } }).expect(201);
      const res = await deploy(manifestId, 'vnf-broken', { cidr: '10.30.0.0/24' });
      expect(res.status).toBe(200);
      const failed = await untilStatus(res.body.id, 'Error', 'Active');
      expect(failed.Status).toBe('Error');
      expect(failed.logs).toContain('no IPs left in the pool');
      expect(hooks.hits).toHaveLength(1);
      expect(JSON.parse(hooks.hits[0].body)).toEqual({ vnf: 'vnf-broken', why: expect.stringContaining('no IPs left in the pool') });
      const steps = Object.fromEntries(failed.esc.resources.map((r: { step_id: string; status: string }) => [r.step_id, r.status]));
      expect(steps).toEqual({ tenant1: 'Active', net1: 'Active', subnet1: 'Error', tellops: 'Active' });

      await http.post(`/cam/composer/api/v1/ServiceInstances/${res.body.id}/terminate`).set('Authorization', A).expect(200);
      const terminated = await untilStatus(res.body.id, 'Terminated', 'Error');
      expect(terminated.Status).toBe('Terminated');
      expect(hooks.hits).toHaveLength(1); // a resthook has nothing to undo
    } finally {
      await hooks.close();
    }
  });

  it('an error step that cannot start is recorded and the next one runs; outputs of steps that never ran read as empty', async () => {
    const hooks = await startHookServer(() => ({ status: 204 }));
    try {
      const steps = [templateStep({ id: 'tenant1', template: 'tenant', params: { name: '${svc_instance.name}' } }), templateStep({ id: 'net1', template: 'network', params: { name: 'n', tenant: '${templates.tenant1.internal_tenant_id}' } })];
      const resthooks = [
        { resthook: { id: 'badhook', url: '${templates.net1.name}', method: 'GET' } },
        { resthook: { id: 'goodhook', url: `${hooks.url}/cleanup`, method: 'POST', payload: { net: '${templates.net1.internal_network_id}', why: '${svc_instance.error.message}' } } },
      ];
      const manifestId = await publish(flowService('VNF doomed tenant', steps, ['tenant1', 'net1'], { resthooks, error_sequence: ['badhook', 'goodhook'] }));
      await request(stack.sim.baseUrl).post('/_sim/faults').send({ resource: 'tenant', operation: 'create', match: { name: 'doomed' }, callback: { statusCode: 503, message: 'keystone unavailable' } }).expect(201);
      const res = await deploy(manifestId, 'doomed-1');
      expect(res.body.error?.message).toBeUndefined();
      const failed = await untilStatus(res.body.id, 'Error', 'Active');
      expect(failed.Status).toBe('Error');
      expect(failed.logs).toContain("error step 'badhook' could not start");
      expect(failed.logs).toContain('keystone unavailable (the error_sequence has run)');
      expect(hooks.hits).toHaveLength(1);
      expect(JSON.parse(hooks.hits[0].body)).toEqual({ net: '', why: expect.stringContaining('keystone unavailable') });
      // and the instance can be terminated: nothing was left running
      await http.post(`/cam/composer/api/v1/ServiceInstances/${res.body.id}/terminate`).set('Authorization', A).expect(200);
      expect((await untilStatus(res.body.id, 'Terminated', 'Error')).Status).toBe('Terminated');
    } finally {
      await hooks.close();
    }
  });

  // On BullMQ's PostgreSQL backend, closing the worker in the middle of this flow hung once (of
  // many runs) under the whole suite's load; until that is understood (the reliability issue), this
  // one runs on Redis only. The PostgreSQL backend's own restarts are covered by lost-callbacks.
  const onRedis = process.env.E2E_QUEUE_BACKEND === 'postgres' ? it.skip : it;
  onRedis('a worker restarted in the middle of a multi-step flow picks it up where it was', async () => {
    const manifestId = await publish(flowService('VNF restart', vnfFlowSteps(), ['tenant1', 'net1', 'subnet1', 'image1', 'flavor1', 'dep1']));
    const res = await deploy(manifestId, 'vnf-restart');
    expect(res.status).toBe(200);
    await waitFor(() => instance(res.body.id), (i) => (i.esc?.resources ?? []).length >= 2, 'the flow to be under way');
    await stack.restartWorker();
    const active = await untilStatus(res.body.id, 'Active', 'Error');
    expect(active.Status).toBe('Active');
    expect(active.esc.resources.map((r: { step_id: string; status: string }) => `${r.step_id}:${r.status}`)).toEqual([
      'tenant1:Active',
      'net1:Active',
      'subnet1:Active',
      'image1:Active',
      'flavor1:Active',
      'dep1:Active',
    ]);
  });
});
