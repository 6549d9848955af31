/**
 * Drift: what ESC holds against the gateway's records. ESC is changed behind the gateway's back
 * (a deployment deleted, a VM stopped without a callback, deployments the gateway never made
 * or no longer owns); GET /cam/api/v1/drift reports each, POST …/repair fixes what is safe.
 */
import request from 'supertest';
import { flowService, RESOURCE_TEMPLATES, vnfFlowSteps } from './support/flow-payloads';
import { asaTemplateContent, deployBody, escService, fixture } from './support/payloads';
import { ESC_CREDENTIALS, Stack, startStack, TENANT_A, TENANT_B, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const B = `Bearer ${TENANT_B.token}`;
const API = '/cam/composer/api/v1/ServiceInstances';
const NO_RESOURCE_DRIFT = { orphans: [], missing: [], errors: [] };

describe('drift between ESC and the records', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let manifestId: string;
  const esc = (method: 'get' | 'post' | 'delete', path: string) => request(stack.sim.baseUrl)[method](`/ESCManager${path}`).auth(ESC_CREDENTIALS.username, ESC_CREDENTIALS.password).set('Accept', 'application/xml');
  const instance = async (id: string) => (await http.get(`${API}/${id}`).set('Authorization', A)).body;
  const deploy = async (name: string) => {
    const id = (await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody(name, { image: 'ASA' })).expect(200)).body.id as string;
    return waitFor(() => instance(id), (i) => i.Status === 'Active' || i.Status === 'Error', `${name} to deploy`);
  };
  const drift = async (auth = A) => (await http.get('/cam/api/v1/drift').set('Authorization', auth).expect(200)).body;

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    manifestId = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA drift')).expect(200)).body.serviceManifestId;
  });
  afterAll(() => stack?.close());

  it('reports nothing while ESC and the records agree', async () => {
    await deploy('drift-agree');
    const report = await drift();
    expect(report.connections).toEqual([{ connection: 'default', orphans: [], missing: [], vm_states: [], resources: NO_RESOURCE_DRIFT }]);
  });

  it('reports a deployment deleted behind its back, a VM stopped without a callback, and orphans; repair fixes what is safe', async () => {
    const gone = await deploy('drift-gone');
    const stopped = await deploy('drift-stopped');
    const goneId = gone.esc.deployments[0].internal_deployment_id;
    const stoppedDep = stopped.esc.deployments[0];
    // behind the gateway's back: a DELETE, and a VM stop whose callbacks go where nobody listens
    await esc('delete', `/v0/deployments/${goneId}`).expect(200);
    await waitFor(async () => (await esc('get', `/v0/deployments/${goneId}`)).status, (s) => s === 404, 'ESC to delete it');
    // ESC names its admin tenant SystemAdminTenantId in operation paths
    const tenant = stoppedDep.esc_tenant === 'admin' ? 'SystemAdminTenantId' : stoppedDep.esc_tenant;
    await esc('post', `/v0/${tenant}/deployments/vm/${stoppedDep.vms[0].name}`).set('Content-Type', 'application/xml').set('Callback', 'http://127.0.0.1:9/nobody-listens').send(fixture('esc/vm_operation_stop.request.xml')).expect((r) => expect(r.status).toBeLessThan(300));
    // records that say an instance is gone while ESC still holds its deployment (the gateway's database
    // restored from an older backup, say; ESC never takes an internal id twice, so it cannot be made
    // again on ESC): the tenant's orphan
    const zombie = await deploy('drift-zombie');
    const zombieId = zombie.esc.deployments[0].internal_deployment_id;
    await stack.db.query(`UPDATE esc_resource SET status = 'Undeployed' WHERE internal_id = $1`, [zombieId]);
    await stack.db.query(`UPDATE service_instance SET status = 'Terminated' WHERE id = $1`, [zombie.id]);
    const body = fixture('esc/deployment_create.request.xml');
    // deployments no record of this tenant names: one with the gateway's prefix (another installation's, or
    // an instance cleaned up with force), one an operator made by hand: neither is this tenant's business
    await esc('post', '/v0/deployments/ceg-left-behind-1').set('Content-Type', 'application/xml').send(body.replace(/<name>MyDemoDepName<\/name>/, '<name>left-behind</name>')).expect((r) => expect(r.status).toBeLessThan(300));
    await esc('post', '/v0/deployments/ops-by-hand-1').set('Content-Type', 'application/xml').send(body.replace(/<name>MyDemoDepName<\/name>/, '<name>by-hand</name>')).expect((r) => expect(r.status).toBeLessThan(300));

    const report = await waitFor(drift, (r) => r.connections[0].vm_states.length > 0 && r.connections[0].orphans.length > 0, 'the drift to show');
    const [d] = report.connections;
    expect(d.missing).toEqual([{ service_instance_id: gone.id, instance_name: 'drift-gone', internal_deployment_id: goneId, gateway_status: 'Active' }]);
    expect(d.vm_states).toEqual([expect.objectContaining({ service_instance_id: stopped.id, vm_name: stoppedDep.vms[0].name, gateway_stage: 'VM_ALIVE', esc_stage: expect.not.stringMatching(/^VM_ALIVE$/) })]);
    // on the shared connection a tenant sees only what its own records name
    expect(d.orphans).toEqual([{ internal_deployment_id: zombieId, deployment_name: zombie.esc.deployments[0].deployment_name, made_by_gateway: true, deletable: true, was_of_instance: 'drift-zombie' }]);
    // another tenant sees none of it, and can repair none of it
    expect((await drift(B)).connections[0]).toEqual({ connection: 'default', orphans: [], missing: [], vm_states: [], resources: NO_RESOURCE_DRIFT });
    expect((await http.post('/cam/api/v1/drift/repair').set('Authorization', B).expect(200)).body.repaired).toEqual({ vm_states_refreshed: 0, marked_gone: 0, orphans_deleted: [], resources: { marked_gone: 0, orphans_deleted: [] } });

    const repaired = (await http.post('/cam/api/v1/drift/repair').set('Authorization', A).expect(200)).body;
    expect(repaired.repaired).toEqual({ vm_states_refreshed: 1, marked_gone: 1, orphans_deleted: [{ connection: 'default', internal_deployment_id: zombieId, http_status: 200 }], resources: { marked_gone: 0, orphans_deleted: [] } });
    const goneNow = await instance(gone.id);
    expect(goneNow.Status).toBe('Error');
    // its log says why (its provision itself succeeded)
    expect(goneNow.logs).toMatch(/Drift repair: ESC connection 'default' no longer holds deployment \S+: the instance is now Error$/);
    expect((await instance(gone.id)).esc.deployments[0].status).toBe('Undeployed');
    expect((await instance(stopped.id)).esc.deployments[0].vms[0].state).toBe(d.vm_states[0].esc_stage);
    await waitFor(async () => (await esc('get', `/v0/deployments/${zombieId}`)).status, (s) => s === 404, 'the orphan to be deleted');
    // what is not the tenant's is left alone
    expect((await esc('get', '/v0/deployments/ceg-left-behind-1')).status).toBe(200);
    expect((await esc('get', '/v0/deployments/ops-by-hand-1')).status).toBe(200);
    expect((await drift()).connections[0]).toEqual({ connection: 'default', orphans: [], missing: [], vm_states: [], resources: NO_RESOURCE_DRIFT });
  });

  it('the other resources too: a network deleted behind its back is missing, a tenant the records say is gone is an orphan; repair marks the one gone and deletes the other', async () => {
    for (const [kind, content] of Object.entries(RESOURCE_TEMPLATES)) {
      if (kind !== 'deployment') await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: `vnf-${kind}`, version: '1.0', type: 'ESC', content }).expect(201);
    }
    const steps = vnfFlowSteps().slice(0, 2);
    const created = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(flowService('VNF drift', steps, ['tenant1', 'net1'])).expect(200);
    await http.post(`/cam/composer/api/v1/ServiceManifest/${created.body.serviceManifestId}/publish`).set('Authorization', A).expect(200);
    const deployNetwork = async (name: string) => {
      const id = (await http.post(`/cam/composer/api/v1/ServiceManifest/${created.body.serviceManifestId}/deploy`).set('Authorization', A).send(deployBody(name, {})).expect(200)).body.id as string;
      await waitFor(() => instance(id), (i) => i.Status === 'Active' || i.Status === 'Error', `${name} to deploy`);
      const { rows } = await stack.db.query<{ kind: string; internal_id: string; esc_tenant: string }>(`SELECT kind, internal_id, esc_tenant FROM esc_resource WHERE service_instance_id = $1`, [id]);
      return { id, tenant: rows.find((r) => r.kind === 'tenant')!, network: rows.find((r) => r.kind === 'network')! };
    };
    const lost = await deployNetwork('drift-net-lost');
    const forgotten = await deployNetwork('drift-net-forgotten');
    expect((await instance(lost.id)).Status).toBe('Active');
    // behind the gateway's back: ESC deletes a network; and the records of another instance say it is gone while ESC holds its tenant and network
    await esc('delete', `/v0/${lost.network.esc_tenant}/networks/${lost.network.internal_id}`).set('Callback', 'http://127.0.0.1:9/nobody-listens').expect((r) => expect(r.status).toBeLessThan(300));
    await waitFor(async () => (await esc('get', `/v0/${lost.network.esc_tenant}/networks/${lost.network.internal_id}`)).status, (s) => s === 404, 'ESC to delete the network');
    await stack.db.query(`UPDATE esc_resource SET status = 'Undeployed' WHERE service_instance_id = $1 AND kind = 'network'`, [forgotten.id]);
    await stack.db.query(`UPDATE esc_resource SET status = 'Undeployed' WHERE service_instance_id = $1 AND kind = 'tenant'`, [forgotten.id]);
    await stack.db.query(`UPDATE service_instance SET status = 'Terminated' WHERE id = $1`, [forgotten.id]);

    const report = await drift();
    const [d] = report.connections;
    expect(d.resources.errors).toEqual([]);
    expect(d.resources.missing).toEqual([{ kind: 'network', service_instance_id: lost.id, instance_name: 'drift-net-lost', internal_id: lost.network.internal_id, esc_tenant: lost.network.esc_tenant, gateway_status: 'Active' }]);
    expect(d.resources.orphans).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'tenant', internal_id: forgotten.tenant.internal_id, made_by_gateway: true, deletable: true, was_of_instance: 'drift-net-forgotten' }),
        expect.objectContaining({ kind: 'network', internal_id: forgotten.network.internal_id, esc_tenant: forgotten.network.esc_tenant, deletable: true, was_of_instance: 'drift-net-forgotten' }),
      ]),
    );
    expect(d.resources.orphans).toHaveLength(2);
    // another tenant sees none of it
    expect((await drift(B)).connections[0].resources).toEqual(NO_RESOURCE_DRIFT);

    const repaired = (await http.post('/cam/api/v1/drift/repair').set('Authorization', A).expect(200)).body.repaired;
    expect(repaired.resources.marked_gone).toBe(1);
    expect(repaired.resources.orphans_deleted.map((o: { kind: string; http_status: number }) => `${o.kind} ${o.http_status}`).sort()).toEqual(['network 200', 'tenant 200']);
    const after = await instance(lost.id);
    expect(after.Status).toBe('Error');
    await waitFor(async () => (await esc('get', `/v0/${forgotten.network.esc_tenant}/networks/${forgotten.network.internal_id}`)).status, (s) => s === 404, 'the orphan network to be deleted');
  });
});
