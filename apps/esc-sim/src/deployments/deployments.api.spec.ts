import request from 'supertest';
import { RunningEscSim, startEscSim } from '../esc-sim';
import { CallbackReceiver, ReceivedCallback, stageOf } from '../testing/callback-receiver';
import { escCallbackFixture, escFixture, parseXml, xmlShape } from '../testing/fixtures';
import { eventually } from '../testing/eventually';

const CREATE_XML = escFixture('deployment_create.request.xml');
const UPDATE_ADD_GROUP_XML = escFixture('deployment_update_add_group.request.xml');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('ESC deployments API', () => {
  let sim: RunningEscSim;
  let receiver: CallbackReceiver;

  beforeAll(async () => {
    receiver = await CallbackReceiver.start();
    sim = await startEscSim({ callbackDelayMs: 5 });
  });

  afterEach(async () => {
    receiver.release();
    await request(sim.baseUrl).post('/_sim/reset').expect(204);
    receiver.clear();
  });

  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  const deploymentsPath = '/ESCManager/v0/deployments';

  function post(id: string, body: string, callback: string | null = receiver.url) {
    const req = request(sim.baseUrl)
      .post(`${deploymentsPath}/${id}`)
      .set('Content-Type', 'application/xml')
      .set('Accept', 'application/xml');
    if (callback) req.set('Callback', callback).set('Callback-ESC-Events', callback);
    return req.send(body);
  }

  function put(id: string, body: string) {
    return request(sim.baseUrl)
      .put(`${deploymentsPath}/${id}`)
      .set('Content-Type', 'application/xml')
      .set('Accept', 'application/xml')
      .set('Callback', receiver.url)
      .send(body);
  }

  function del(id: string) {
    return request(sim.baseUrl).delete(`${deploymentsPath}/${id}`).set('Accept', 'application/xml').set('Callback', receiver.url);
  }

  async function deployed(id = 'my_dep_id', body = CREATE_XML): Promise<string> {
    const res = await post(id, body).expect(200);
    await receiver.waitForStage('SERVICE_ALIVE');
    return res.headers['esc-transaction-id'];
  }

  const xmlOf = (callback: ReceivedCallback) => parseXml(callback.body).deployment;

  describe('POST (create)', () => {
    it('accepts the reference datamodel and reports VM_DEPLOYED, VM_ALIVE, SERVICE_ALIVE', async () => {
      const res = await post('my_dep_id', CREATE_XML).expect(200);
      const transactionId = res.headers['esc-transaction-id'];
      expect(transactionId).toMatch(UUID);
      expect(res.headers['content-type']).toMatch(/^application\/xml/);
      expect(parseXml(res.text).esc_request).toMatchObject({ internal_deployment_id: 'my_dep_id', transaction_id: transactionId });

      const callbacks = await receiver.waitForStage('SERVICE_ALIVE');
      expect(callbacks.map(stageOf)).toEqual(['VM_DEPLOYED', 'VM_ALIVE', 'SERVICE_ALIVE']);
      for (const callback of callbacks) {
        expect(callback.method).toBe('POST');
        expect(callback.path).toBe('/esc/callback');
        expect(callback.headers['content-type']).toBe('application/xml; charset=UTF-8');
        expect(callback.headers['esc_transaction_id']).toBe(transactionId);
        expect(callback.headers['esc-status-code']).toBe('200');
        const body = xmlOf(callback);
        expect(body['@_xmlns']).toBe('urn:ietf:params:xml:ns:netconf:base:1.0');
        expect(body).toMatchObject({
          datacenter: { default: 'false' },
          deployment_name: 'MyDemoDepName',
          internal_deployment_id: 'my_dep_id',
          internal_tenant_id: 'SystemAdminTenantId',
          external_tenant_id: 'SystemAdminTenantId',
        });
        expect(body.external_deployment_id).toMatch(UUID);
      }

      const [vmDeployed, vmAlive, serviceAlive] = callbacks.map(xmlOf);
      for (const vmCallback of [vmDeployed, vmAlive]) {
        expect(vmCallback.deployment_details).toMatchObject({
          vm_group_name: 'ASA-1',
          interfaces: { interface: { network_uuid: 'MgtNetwork', ip_address: '18.0.0.16', nic_id: '1', type: 'virtual' } },
        });
        expect(vmCallback.deployment_details.vm_uuid).toMatch(UUID);
        expect(vmCallback.deployment_details.vm_name).toMatch(/^MyDemoDepName_ASA-1_0_[0-9a-f-]{36}$/);
        expect(vmCallback.deployment_details.interfaces.interface.mac_address).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      }
      expect(vmDeployed).toMatchObject({ deployment_stage: 'VM_DEPLOYED', service_state_machine_state: 'SERVICE_DEPLOYING_STATE' });
      expect(vmDeployed.deployment_details.vm_state_machine_state).toBe('VM_INSERT_STATE');
      expect(vmAlive.deployment_details.vm_state_machine_state).toBe('VM_ALIVE_STATE');
      expect(vmAlive.deployment_details.vm_uuid).toBe(vmDeployed.deployment_details.vm_uuid);
      expect(serviceAlive).toMatchObject({ deployment_stage: 'SERVICE_ALIVE', service_state_machine_state: 'SERVICE_ACTIVE_STATE' });
      expect(serviceAlive.deployment_details).toBeUndefined();
      expect(callbacks[0].headers['esc-status-message']).toBe('VM Deployed');
      expect(callbacks[1].headers['esc-status-message']).toBe(`VM_Alive event received, VM ID: [${vmAlive.deployment_details.vm_name}]`);
      expect(callbacks[2].headers['esc-status-message']).toBe('Service group deployment completed successfully!');
    });

    it('sends callbacks shaped exactly like the reference examples', async () => {
      await deployed();
      const fixtures = ['callback_deploy_1_vm_deployed.json', 'callback_deploy_2_vm_alive.json', 'callback_deploy_3_service_alive.json'].map(
        escCallbackFixture,
      );
      receiver.received.forEach((callback, i) => {
        const fixture = fixtures[i];
        expect(xmlShape(callback.body)).toEqual(xmlShape(fixture.body));
        expect(callback.body.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<deployment')).toBe(true);
        const headerNames = Object.keys(fixture.headers).map((name) => name.toLowerCase());
        expect(Object.keys(callback.headers)).toEqual(expect.arrayContaining(headerNames));
        const expected = parseXml(fixture.body).deployment;
        const actual = xmlOf(callback);
        expect(actual.deployment_stage).toBe(expected.deployment_stage);
        expect(actual.service_state_machine_state).toBe(expected.service_state_machine_state);
        expect(actual.deployment_details?.vm_state_machine_state).toBe(expected.deployment_details?.vm_state_machine_state);
      });
    });

    it('runs the deployment without callbacks when there is no Callback header', async () => {
      await post('quiet', CREATE_XML, null).expect(200);
      await eventually(async () => {
        const res = await request(sim.baseUrl).get(`${deploymentsPath}/quiet`).expect(200);
        expect(parseXml(res.text).deployment.service_state_machine_state).toBe('SERVICE_ACTIVE_STATE');
      });
      expect(receiver.received).toHaveLength(0);
    });

    it('deploys min_active VMs per group, allocating addresses when none are given', async () => {
      const xml = CREATE_XML.replace('<ip_address>18.0.0.16</ip_address>\n              </interface>', '</interface>').replace(
        '<min_active>1</min_active>\n              <max_active>1</max_active>',
        '<min_active>2</min_active>\n              <max_active>3</max_active>',
      );
      await post('two_vms', xml).expect(200);
      const callbacks = await receiver.waitForStage('SERVICE_ALIVE');
      expect(callbacks.map(stageOf)).toEqual(['VM_DEPLOYED', 'VM_ALIVE', 'VM_DEPLOYED', 'VM_ALIVE', 'SERVICE_ALIVE']);
      const [first, second] = [callbacks[0], callbacks[2]].map((callback) => xmlOf(callback).deployment_details);
      expect(first.vm_name).toMatch(/^MyDemoDepName_ASA-1_0_/);
      expect(second.vm_name).toMatch(/^MyDemoDepName_ASA-1_1_/);
      // The first VM takes the static pool's address, the second gets one allocated.
      expect(first.interfaces.interface.ip_address).toBe('18.0.0.16');
      expect(second.interfaces.interface.ip_address).toMatch(/^10\.\d+\.\d+\.\d+$/);
    });

    it.each([
      ['malformed XML', '<esc_datamodel xmlns="http://www.cisco.com/esc/esc"><tenants></esc_datamodel>', /^Malformed XML: /],
      ['an empty body', '', /body is empty/],
      ['a wrong root element', '<deployment xmlns="http://www.cisco.com/esc/esc"/>', /Root element must be esc_datamodel/],
      ['a wrong namespace', CREATE_XML.replace('http://www.cisco.com/esc/esc', 'urn:wrong'), /namespace/],
      ['a vm_group without image', CREATE_XML.replace('<image>ASA</image>', ''), /^deployment\/vm_group\[1\]\/image is required$/],
      ['a deployment without name', CREATE_XML.replace('<name>MyDemoDepName</name>', ''), /^deployment\/name is required$/],
    ])('answers 400 with a plain message for %s', async (_, body, message) => {
      const res = await post('bad_body', body).expect(400);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(message);
      await request(sim.baseUrl).get(`${deploymentsPath}/bad_body`).expect(404);
    });

    it.each([['bad~id'], ['a'.repeat(73)], ['sp%20ace']])('answers 400 for the internal id %s', async (id) => {
      const res = await post(id, CREATE_XML).expect(400);
      expect(res.text).toMatch(/internal_deployment_id/);
    });

    it('accepts an internal id of 72 unreserved characters', async () => {
      await post(`A-z.0_${'x'.repeat(66)}`, CREATE_XML).expect(200);
    });

    it('answers 409 for an internal id in use, and keeps it burnt after the deployment is deleted', async () => {
      await deployed();
      const other = CREATE_XML.replace('MyDemoDepName', 'OtherName');
      expect((await post('my_dep_id', other).expect(409)).text).toMatch(/my_dep_id/);

      await del('my_dep_id').expect(200);
      await receiver.waitForStage('SERVICE_UNDEPLOYED');
      await post('my_dep_id', other).expect(409);
    });

    it('answers 409 for a deployment name already used in the same tenant, not in another one', async () => {
      await post('first', CREATE_XML).expect(200);
      const res = await post('second', CREATE_XML).expect(409);
      expect(res.text).toMatch(/MyDemoDepName/);
      await post('third', CREATE_XML.replace('<name>admin</name>', '<name>tenant-b</name>')).expect(200);
    });

    it('frees the name once the deployment is undeployed', async () => {
      await deployed('first');
      await del('first').expect(200);
      await receiver.waitForStage('SERVICE_UNDEPLOYED');
      await post('second', CREATE_XML).expect(200);
    });

    it('answers 415 for a body that is not declared as XML', async () => {
      await request(sim.baseUrl).post(`${deploymentsPath}/json`).set('Content-Type', 'application/json').send('{}').expect(415);
    });

    it('answers 406 when the client does not accept XML', async () => {
      await post('accept', CREATE_XML).set('Accept', 'application/json').expect(406);
    });

    it('answers 400 for a Callback header that is not an http(s) URL', async () => {
      expect((await post('cb', CREATE_XML, 'not a url').expect(400)).text).toMatch(/Callback header/);
    });
  });

  describe('GET', () => {
    it('describes a deployment and lists all of them', async () => {
      await deployed();
      const one = parseXml((await request(sim.baseUrl).get(`${deploymentsPath}/my_dep_id`).expect(200)).text).deployment;
      expect(one).toMatchObject({
        deployment_name: 'MyDemoDepName',
        internal_deployment_id: 'my_dep_id',
        internal_tenant_id: 'SystemAdminTenantId',
        tenant_name: 'admin',
        service_state_machine_state: 'SERVICE_ACTIVE_STATE',
        deployment_details: {
          vm_group_name: 'ASA-1',
          vm_state_machine_state: 'VM_ALIVE_STATE',
          interfaces: { interface: { ip_address: '18.0.0.16' } },
        },
      });
      expect(one.external_deployment_id).toBe(xmlOf(receiver.received[0]).external_deployment_id);

      await post('second', CREATE_XML.replace('MyDemoDepName', 'Second')).expect(200);
      const list = parseXml((await request(sim.baseUrl).get(deploymentsPath).expect(200)).text).deployments;
      expect(list.deployment.map((d: { internal_deployment_id: string }) => d.internal_deployment_id)).toEqual(['my_dep_id', 'second']);
    });

    it('answers 404 for an unknown deployment', async () => {
      await request(sim.baseUrl).get(`${deploymentsPath}/nope`).expect(404);
    });

    it('lists no deployments on a fresh simulator', async () => {
      const res = await request(sim.baseUrl).get(deploymentsPath).expect(200);
      expect(parseXml(res.text).deployments).toEqual({ '@_xmlns': 'urn:ietf:params:xml:ns:netconf:base:1.0' });
    });

    it('matches paths case-sensitively, like ESC', async () => {
      await request(sim.baseUrl).get('/escmanager/v0/deployments').expect(404);
    });
  });

  describe('DELETE', () => {
    it('reports VM_UNDEPLOYED then SERVICE_UNDEPLOYED under a new transaction id, then forgets the deployment', async () => {
      const createTransaction = await deployed();
      receiver.clear();

      const res = await del('my_dep_id').expect(200);
      const transactionId = res.headers['esc-transaction-id'];
      expect(transactionId).toMatch(UUID);
      expect(transactionId).not.toBe(createTransaction);

      const callbacks = await receiver.waitForStage('SERVICE_UNDEPLOYED');
      expect(callbacks.map(stageOf)).toEqual(['VM_UNDEPLOYED', 'SERVICE_UNDEPLOYED']);
      expect(callbacks.every((callback) => callback.headers['esc_transaction_id'] === transactionId)).toBe(true);
      expect(callbacks.map((callback) => callback.headers['esc-status-code'])).toEqual(['200', '200']);
      const [vmUndeployed, serviceUndeployed] = callbacks.map(xmlOf);
      expect(vmUndeployed.deployment_details).toMatchObject({ vm_group_name: 'ASA-1', vm_state_machine_state: 'VM_UNDEPLOYED_STATE' });
      expect(serviceUndeployed.deployment_details).toBeUndefined();
      expect(serviceUndeployed.internal_deployment_id).toBe('my_dep_id');
      expect(callbacks[1].headers['esc-status-message']).toBe('Service group undeployment completed successfully');

      await request(sim.baseUrl).get(`${deploymentsPath}/my_dep_id`).expect(404);
    });

    it('answers 404 for an unknown deployment', async () => {
      await del('nope').expect(404);
    });

    it('queues an undeploy sent while the deployment is still deploying', async () => {
      receiver.hold();
      await post('my_dep_id', CREATE_XML).expect(200);
      await receiver.waitForStage('VM_DEPLOYED');
      await del('my_dep_id').expect(200);
      receiver.release();
      const callbacks = await receiver.waitForStage('SERVICE_UNDEPLOYED');
      expect(callbacks.map(stageOf)).toEqual(['VM_DEPLOYED', 'VM_ALIVE', 'SERVICE_ALIVE', 'VM_UNDEPLOYED', 'SERVICE_UNDEPLOYED']);
    });

    it('answers 409 to a second DELETE while the first one runs', async () => {
      await deployed();
      receiver.hold();
      await del('my_dep_id').expect(200);
      await receiver.waitForStage('VM_UNDEPLOYED');
      await del('my_dep_id').expect(409);
    });
  });

  describe('PUT (update)', () => {
    it('deploys an added vm_group and reports SERVICE_UPDATED', async () => {
      await deployed();
      receiver.clear();

      const res = await put('my_dep_id', UPDATE_ADD_GROUP_XML).expect(200);
      const transactionId = res.headers['esc-transaction-id'];
      expect(transactionId).toMatch(UUID);

      const callbacks = await receiver.waitForStage('SERVICE_UPDATED');
      expect(callbacks.map(stageOf)).toEqual(['VM_DEPLOYED', 'VM_ALIVE', 'SERVICE_UPDATED']);
      expect(callbacks.every((callback) => callback.headers['esc_transaction_id'] === transactionId)).toBe(true);
      expect(xmlOf(callbacks[0]).deployment_details.vm_group_name).toBe('CSR-1');
      const updated = xmlOf(callbacks[2]);
      expect(updated).toMatchObject({ deployment_stage: 'SERVICE_UPDATED', service_state_machine_state: 'SERVICE_ACTIVE_STATE' });
      expect(callbacks[2].headers['esc-status-message']).toBe('Service group update completed successfully');

      const fixtures = ['callback_update_1_vm_deployed.json', 'callback_update_2_vm_alive.json', 'callback_update_3_service_updated.json'];
      fixtures.map(escCallbackFixture).forEach((fixture, i) => {
        expect(xmlShape(callbacks[i].body)).toEqual(xmlShape(fixture.body));
        expect(xmlOf(callbacks[i]).service_state_machine_state).toBe(parseXml(fixture.body).deployment.service_state_machine_state);
      });

      const got = parseXml((await request(sim.baseUrl).get(`${deploymentsPath}/my_dep_id`).expect(200)).text).deployment;
      expect(got.deployment_details.map((vm: { vm_group_name: string }) => vm.vm_group_name)).toEqual(['ASA-1', 'CSR-1']);
    });

    it('undeploys a removed vm_group', async () => {
      await deployed('my_dep_id', UPDATE_ADD_GROUP_XML);
      receiver.clear();

      await put('my_dep_id', CREATE_XML).expect(200);
      const callbacks = await receiver.waitForStage('SERVICE_UPDATED');
      expect(callbacks.map(stageOf)).toEqual(['VM_UNDEPLOYED', 'SERVICE_UPDATED']);
      expect(xmlOf(callbacks[0]).deployment_details.vm_group_name).toBe('CSR-1');
    });

    it('reports VM_UPDATED for VMs whose interfaces changed', async () => {
      await deployed();
      receiver.clear();
      await put('my_dep_id', CREATE_XML.replace(/18\.0\.0\.16/g, '18.0.0.99')).expect(200);
      const callbacks = await receiver.waitForStage('SERVICE_UPDATED');
      expect(callbacks.map(stageOf)).toEqual(['VM_UPDATED', 'SERVICE_UPDATED']);
      expect(xmlOf(callbacks[0]).deployment_details.interfaces.interface.ip_address).toBe('18.0.0.99');
    });

    it('answers 404 for an unknown deployment and 400 for a bad body', async () => {
      await put('nope', UPDATE_ADD_GROUP_XML).expect(404);
      await deployed();
      await put('my_dep_id', '<oops').expect(400);
      expect((await put('my_dep_id', CREATE_XML.replace('MyDemoDepName', 'Renamed')).expect(400)).text).toMatch(/renamed/);
    });

    it('answers 409 while the deployment is still deploying', async () => {
      receiver.hold();
      await post('my_dep_id', CREATE_XML).expect(200);
      await receiver.waitForStage('VM_DEPLOYED');
      expect((await put('my_dep_id', UPDATE_ADD_GROUP_XML).expect(409)).text).toMatch(/in progress/);
    });
  });
});
