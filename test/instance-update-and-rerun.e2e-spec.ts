/**
 * The instance's own flow run again: update (new values, only what changed is PUT), retry (the
 * failed action from its start: what ESC holds reused or replaced, never twice) and resume (from
 * the failed step, completed steps skipped), each with its bad inputs.
 */
import request from 'supertest';
import { SimRequest } from './support/hook-server';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { flowService, RESOURCE_TEMPLATES, vnfFlowSteps } from './support/flow-payloads';
import { ESC_CREDENTIALS, Stack, startStack, TENANT_A, TENANT_B, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const B = `Bearer ${TENANT_B.token}`;
const API = '/cam/composer/api/v1/ServiceInstances';

describe('update, retry and resume of an instance', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let asaManifest: string;
  let vnfManifest: string;

  const instance = async (id: string) => (await http.get(`${API}/${id}`).set('Authorization', A)).body;
  const untilStatus = (id: string, ...statuses: string[]) => waitFor(() => instance(id), (i) => statuses.includes(i.Status), `instance ${id} to become ${statuses.join('|')}`);
  const simRequests = async (): Promise<SimRequest[]> => (await request(stack.sim.baseUrl).get('/_sim/requests')).body;
  const fault = (rule: object) => request(stack.sim.baseUrl).post('/_sim/faults').send(rule).expect(201);
  const call = (id: string, op: string, body: unknown, auth = A) => http.post(`${API}/${id}/${op}`).set('Authorization', auth).send(body as object);
  const deploy = async (manifestId: string, name: string, values: Record<string, unknown>) => {
    const res = await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody(name, values)).expect(200);
    return res.body.id as string;
  };
  const escDeployments = async () => (await request(stack.sim.baseUrl).get('/ESCManager/v0/deployments').auth(ESC_CREDENTIALS.username, ESC_CREDENTIALS.password)).text;

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    for (const [kind, content] of Object.entries(RESOURCE_TEMPLATES)) {
      await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: `vnf-${kind}`, version: '1.0', type: 'ESC', content }).expect(201);
    }
    asaManifest = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA updatable')).expect(200)).body.serviceManifestId;
    vnfManifest = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(flowService('VNF resumable', vnfFlowSteps(), ['tenant1', 'net1', 'subnet1', 'image1', 'flavor1', 'dep1'])).expect(200))
      .body.serviceManifestId;
  });
  afterAll(() => stack?.close());

  describe('update', () => {
    let id: string;
    let internalId: string;

    beforeAll(async () => {
      id = await deploy(asaManifest, 'asa-upd-01', { image: 'ASAv-9.18' });
      const active = await untilStatus(id, 'Active', 'Error');
      expect(active.Status).toBe('Active');
      internalId = active.esc.deployments[0].internal_deployment_id;
    });

    it('PUTs the deployment rendered with the new value; ESC answers SERVICE_UPDATED and the instance is Active again', async () => {
      const before = (await simRequests()).length;
      const res = await call(id, 'update', { update_details: { instance_parameters: { mgmt_ip: '18.0.0.77' } } }).expect(200);
      expect(res.body).toMatchObject({ id, Status: 'In_Progress', action: 'update', action_instance_id: expect.any(String) });
      const done = await untilStatus(id, 'Active', 'Error');
      expect(done.Status).toBe('Active');
      const puts = (await simRequests()).slice(before).filter((r) => r.method === 'PUT');
      expect(puts.map((r) => r.path)).toEqual([`/ESCManager/v0/deployments/${internalId}`]);
      expect(puts[0].body).toContain('<ip_address>18.0.0.77</ip_address>');
      // the other values kept theirs
      expect(puts[0].body).toContain('<image>ASAv-9.18</image>');
      expect(done.esc.deployments).toHaveLength(1);
      expect(done.esc.deployments[0]).toMatchObject({ internal_deployment_id: internalId, status: 'Active' });
      expect(done.esc.deployments[0].transaction_ids.map((t: { operation: string }) => t.operation)).toEqual(['CREATE_DEPLOYMENT', 'UPDATE_DEPLOYMENT']);
      // each action keeps its own log; the record's logs are the current action's
      const [provision, update] = done.actionInstanceDetails;
      expect(provision).toMatchObject({ instance_action: 'Provision', Status: 'Active', mode: 'deploy' });
      expect(provision.logs).toContain('POST /v0/deployments/');
      expect(update).toMatchObject({ instance_action: 'update', Status: 'Active', mode: 'update', input_parameters: expect.objectContaining({ mgmt_ip: '18.0.0.77', image: 'ASAv-9.18' }) });
      expect(update.logs).toContain(`PUT /v0/deployments/${internalId}`);
      expect(update.logs).toContain('ESC SERVICE_UPDATED with ESC-Status-Code 200');
      expect(done.logs).toBe(update.logs);
    });

    it('leaves a step whose rendering did not change alone, and says so', async () => {
      const before = (await simRequests()).length;
      await call(id, 'update', { update_details: { instance_parameters: { mgmt_ip: '18.0.0.77' } } }).expect(200);
      const done = await untilStatus(id, 'Active', 'Error');
      expect(done.Status).toBe('Active');
      expect((await simRequests()).slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
      expect(done.logs).toContain("step 'escasa0001': deployment");
      expect(done.logs).toContain('renders as before; left alone');
    });

    it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
      const history = (await instance(id)).actionInstanceDetails.length;
      const cases: Array<[unknown, string]> = [
        [{}, 'update_details'],
        [{ update_details: {} }, 'update_details.instance_parameters'],
        [{ update_details: { instance_parameters: 'mgmt_ip=1' } }, 'update_details.instance_parameters'],
        [{ update_details: { instance_parameters: { nope: 'x' } } }, 'update_details.instance_parameters.nope'],
        [{ update_details: { instance_parameters: { image: { a: 1 } } } }, 'update_details.instance_parameters.image'],
      ];
      for (const [body, field] of cases) {
        const res = await call(id, 'update', body);
        expect({ body, status: res.status, message: res.body.error?.message?.startsWith(field) }).toEqual({ body, status: 400, message: true });
      }
      expect((await instance(id)).actionInstanceDetails).toHaveLength(history);
      expect((await call(id, 'update', { update_details: { instance_parameters: {} } }, B)).status).toBe(404);
    });

    it('refuses an update while the VMs are stopped (ESC does not update a stopped deployment), and takes it once they are started', async () => {
      const stopped = await deploy(asaManifest, 'asa-upd-stopped', { image: 'ASA' });
      await untilStatus(stopped, 'Active', 'Error');
      await call(stopped, 'invokeCustomAction', { customDetails: { currentCustomAction: 'esc_stop' } }).expect(200);
      await waitFor(() => instance(stopped), (i) => i.power_state === 'Stopped' && i.action_status.status === 'Succeeded', 'the VMs to be stopped');
      const refused = await call(stopped, 'update', { update_details: { instance_parameters: { mgmt_ip: '18.0.0.80' } } });
      expect({ status: refused.status, message: refused.body.error.message }).toEqual({ status: 409, message: expect.stringContaining('is stopped (power_state Stopped): ESC does not update a stopped deployment') });
      await call(stopped, 'invokeCustomAction', { customDetails: { currentCustomAction: 'esc_start' } }).expect(200);
      await waitFor(() => instance(stopped), (i) => i.power_state === 'Running' && i.action_status.status === 'Succeeded', 'the VMs to run');
      await call(stopped, 'update', { update_details: { instance_parameters: { mgmt_ip: '18.0.0.80' } } }).expect(200);
      const done = await untilStatus(stopped, 'Active', 'Error');
      expect(done.Status).toBe('Active');
      // what the instance echoes of its values follows the update
      expect(done.resourceProperties.specifications).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'mgmt_ip', value: '18.0.0.80' })]));
    });

    it('names a field the call does not take, rather than dropping it', async () => {
      const typo = await call(id, 'update', { update_detail: { instance_parameters: { mgmt_ip: '1' } } });
      expect({ status: typo.status, message: typo.body.error.message }).toEqual({ status: 400, message: "update_detail: is not a field of this call (it takes update_details)" });
      const nested = await call(id, 'update', { update_details: { instance_parameter: {} } });
      expect(nested.body.error.message).toBe('update_details.instance_parameter: is not a field of this call (it takes instance_parameters)');
      const notObject = await http.post(`${API}/${id}/update`).set('Authorization', A).set('Content-Type', 'application/json').send('[1,2]');
      expect(notObject.status).toBe(400);
      const badJson = await http.post(`${API}/${id}/update`).set('Authorization', A).set('Content-Type', 'application/json').send('{"update_details":');
      expect({ status: badJson.status, message: badJson.body.error.message }).toEqual({ status: 400, message: expect.stringMatching(/^body: is not valid JSON/) });
      expect((await call(id, 'terminate', { force: true })).body.error.message).toBe('force: is not a field of this call (it takes none)');
    });

    it('takes no update of an instance in Error or terminated (409)', async () => {
      await call(id, 'terminate', {}).expect(200);
      await untilStatus(id, 'Terminated');
      const res = await call(id, 'update', { update_details: { instance_parameters: { mgmt_ip: '18.0.0.78' } } });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('is terminated');
    });
  });

  describe('retry', () => {
    it('after ESC refused the create: makes the deployment, once', async () => {
      await fault({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, respond: { status: 400, body: 'Invalid image' }, times: 1 });
      const id = await deploy(asaManifest, 'asa-retry-01', { image: 'ASA' });
      expect((await untilStatus(id, 'Error', 'Active')).Status).toBe('Error');
      const res = await call(id, 'retry', { retry_details: { is_partial: false, instance_parameters: { image: 'ASAv-9.20' } } }).expect(200);
      expect(res.body).toMatchObject({ action: 'Provision', Status: 'In_Progress' });
      const done = await untilStatus(id, 'Active', 'Error');
      expect(done.Status).toBe('Active');
      const live = done.esc.deployments.filter((d: { status: string }) => d.status === 'Active');
      expect(live).toHaveLength(1);
      expect((await escDeployments()).split(live[0].internal_deployment_id).length - 1).toBeGreaterThan(0);
      const history = done.actionInstanceDetails.map((a: { instance_action: string; Status: string; mode: string }) => [a.instance_action, a.Status, a.mode]);
      expect(history).toEqual([
        ['Provision', 'Error', 'deploy'],
        ['Provision', 'Active', 'retry'],
      ]);
      expect(done.actionInstanceDetails[1]).toMatchObject({ rerun_of: done.actionInstanceDetails[0].actionInstanceId, input_parameters: expect.objectContaining({ image: 'ASAv-9.20' }) });
    });

    it('after the deployment failed on ESC: deletes what ESC holds and makes it again (never two)', async () => {
      await fault({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, callback: { statusCode: 500, message: 'Failed to deploy VM' }, times: 1 });
      const id = await deploy(asaManifest, 'asa-retry-02', { image: 'ASA' });
      const failed = await untilStatus(id, 'Error', 'Active');
      expect(failed.Status).toBe('Error');
      const broken = failed.esc.deployments[0].internal_deployment_id;
      const before = (await simRequests()).length;
      await call(id, 'retry', { retry_details: {} }).expect(200);
      const done = await untilStatus(id, 'Active', 'Error');
      expect(done.Status).toBe('Active');
      const sent = (await simRequests()).slice(before).filter((r) => r.method !== 'GET');
      expect(sent.map((r) => r.method)).toEqual(['DELETE', 'POST']);
      expect(sent[0].path).toBe(`/ESCManager/v0/deployments/${broken}`);
      expect(done.logs).toContain('is Error: it is deleted and made again');
      const onEsc = await escDeployments();
      expect(onEsc).not.toContain(broken);
      expect(done.esc.deployments.map((d: { status: string }) => d.status)).toEqual(['Undeployed', 'Active']);
    });

    it('after ESC refused an update: the deployment stays as it was, and the retry PUTs it again (never deletes it)', async () => {
      const id = await deploy(asaManifest, 'asa-retry-upd', { image: 'ASA' });
      const active = await untilStatus(id, 'Active', 'Error');
      const internalId = active.esc.deployments[0].internal_deployment_id;
      await fault({ operation: 'update', match: { internalId }, respond: { status: 422, body: 'interface quota exceeded' }, times: 1 });
      await call(id, 'update', { update_details: { instance_parameters: { mgmt_ip: '18.0.0.91' } } }).expect(200);
      const failed = await untilStatus(id, 'Error', 'Active');
      expect(failed.Status).toBe('Error');
      expect(failed.esc.deployments[0].status).toBe('Active');
      const before = (await simRequests()).length;
      await call(id, 'retry', {}).expect(200);
      const done = await untilStatus(id, 'Active', 'Error');
      expect(done.Status).toBe('Active');
      const sent = (await simRequests()).slice(before).filter((r) => r.method !== 'GET');
      expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /ESCManager/v0/deployments/${internalId}`]);
      expect(sent[0].body).toContain('18.0.0.91');
      expect(done.actionInstanceDetails.map((a: { instance_action: string; mode: string; Status: string }) => `${a.instance_action}:${a.mode}:${a.Status}`)).toEqual(['Provision:deploy:Active', 'update:update:Error', 'update:retry:Active']);
    });

    it('refuses is_partial, a retry of an instance with nothing failed, and bad values', async () => {
      const id = await deploy(asaManifest, 'asa-retry-03', { image: 'ASA' });
      await untilStatus(id, 'Active', 'Error');
      const partial = await call(id, 'retry', { retry_details: { is_partial: true } });
      expect({ status: partial.status, message: partial.body.error.message }).toEqual({ status: 400, message: expect.stringMatching(/^retry_details\.is_partial: true is not supported/) });
      const notBool = await call(id, 'resume', { resume_details: { is_partial: 'no' } });
      expect({ status: notBool.status, message: notBool.body.error.message }).toEqual({ status: 400, message: expect.stringMatching(/^resume_details\.is_partial: must be true or false/) });
      const nothingFailed = await call(id, 'retry', { retry_details: {} });
      expect(nothingFailed.status).toBe(409);
      expect(nothingFailed.body.error.message).toContain("has no failed action to retry: its last action 'Provision' is Succeeded");
      expect((await call(id, 'retry', { retry_details: { instance_parameters: [1] } })).status).toBe(400);
    });
  });

  describe('resume', () => {
    it('continues from the failed step: what the steps before made is neither sent again nor duplicated', async () => {
      await fault({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, respond: { status: 400, body: 'VIM busy' }, times: 1 });
      const before = (await simRequests()).length;
      const id = await deploy(vnfManifest, 'vnf-resume-01', {});
      const failed = await untilStatus(id, 'Error', 'Active');
      expect(failed.Status).toBe('Error');
      expect(failed.logs).toContain('VIM busy');
      const resumeFrom = (await simRequests()).length;
      await call(id, 'resume', { resume_details: { is_partial: false } }).expect(200);
      const done = await untilStatus(id, 'Active', 'Error');
      expect(done.Status).toBe('Active');
      const sent = (await simRequests()).slice(resumeFrom).filter((r) => r.method !== 'GET');
      // a refused create made nothing on ESC: it is made again; the other steps are not touched
      expect(sent.map((r) => `${r.method} ${r.path.replace(/ceg-[0-9a-f-]{36}/g, 'ID')}`)).toEqual(['POST /ESCManager/v0/deployments/ID']);
      const posts = (await simRequests()).slice(before).filter((r) => r.method === 'POST' && r.path.includes('/tenants/'));
      expect(posts).toHaveLength(1);
      for (const step of ['tenant1', 'net1', 'subnet1', 'image1', 'flavor1']) expect(done.logs).toContain(`step '${step}': done by the run it resumes`);
      const kinds = done.esc.resources.filter((r: { status: string }) => r.status === 'Active').map((r: { step_id: string }) => r.step_id);
      expect(kinds.sort()).toEqual(['dep1', 'flavor1', 'image1', 'net1', 'subnet1', 'tenant1']);
    });
  });
});
