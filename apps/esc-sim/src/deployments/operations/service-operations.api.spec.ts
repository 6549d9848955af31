import request from 'supertest';
import { ReceivedCallback, stageOf } from '../../testing/callback-receiver';
import { escCallbackFixture, escFixture, parseXml, xmlShape } from '../../testing/fixtures';
import { useEscSim } from '../../testing/sim-context';

const CREATE_XML = escFixture('deployment_create.request.xml');
const STOP_XML = escFixture('service_operation_stop.request.xml');
const TWO_VMS_XML = CREATE_XML.replace(
  '<min_active>1</min_active>\n              <max_active>1</max_active>',
  '<min_active>2</min_active>\n              <max_active>2</max_active>',
);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ADMIN = 'SystemAdminTenantId';

const operationXml = (operation: string) => STOP_XML.replace('<operation>stop</operation>', `<operation>${operation}</operation>`);
/** The reference's interfaces have gateway and netmask, which the simulator (without subnets) leaves out. */
const withoutSubnetFields = (xml: string) => xml.replace(/\s*<(gateway|netmask)>[^<]*<\/\1>/g, '');

describe('ESC deployment operations (POST /v0/{tenant}/deployments/service/{id})', () => {
  const context = useEscSim({ callbackDelayMs: 2 });

  function create(id: string, body = CREATE_XML) {
    return request(context.sim.baseUrl)
      .post(`/ESCManager/v0/deployments/${id}`)
      .set('Content-Type', 'application/xml')
      .set('Callback', context.receiver.url)
      .send(body);
  }

  async function deployed(id = 'my_dep_id', body = CREATE_XML): Promise<void> {
    await create(id, body).expect(200);
    await context.receiver.waitForStage('SERVICE_ALIVE');
    context.receiver.clear();
  }

  function operate(operation: string, { tenant = ADMIN, id = 'my_dep_id', callback = context.receiver.url as string | null, body = operationXml(operation) } = {}) {
    const req = request(context.sim.baseUrl)
      .post(`/ESCManager/v0/${tenant}/deployments/service/${id}`)
      .set('Content-Type', 'application/xml')
      .set('Accept', 'application/xml');
    if (callback) req.set('Callback', callback);
    return req.send(body);
  }

  async function current(id = 'my_dep_id'): Promise<Record<string, any>> {
    return parseXml((await request(context.sim.baseUrl).get(`/ESCManager/v0/deployments/${id}`).expect(200)).text).deployment;
  }

  async function stopped(id = 'my_dep_id'): Promise<void> {
    await operate('stop', { id }).expect(200);
    await context.receiver.waitForStage('SERVICE_STOPPED');
    context.receiver.clear();
  }

  const xmlOf = (callback: ReceivedCallback) => parseXml(callback.body).deployment;

  it('stops a deployment: VM_STOPPED per VM, then SERVICE_STOPPED, shaped like the reference', async () => {
    await deployed();
    const res = await operate('stop').expect(200);
    const transactionId = res.headers['esc-transaction-id'];
    expect(transactionId).toMatch(UUID);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    expect(parseXml(res.text).esc_request).toMatchObject({
      operation: 'stop',
      internal_tenant_id: ADMIN,
      internal_deployment_id: 'my_dep_id',
      deployment_name: 'MyDemoDepName',
      transaction_id: transactionId,
    });

    const callbacks = await context.receiver.waitForStage('SERVICE_STOPPED');
    expect(callbacks.map(stageOf)).toEqual(['VM_STOPPED', 'SERVICE_STOPPED']);
    const fixtures = ['callback_stop_1_vm_stopped.json', 'callback_stop_2_service_stopped.json'].map(escCallbackFixture);
    callbacks.forEach((callback, i) => {
      expect(callback.path).toBe('/esc/callback');
      expect(callback.headers['content-type']).toBe('application/xml; charset=UTF-8');
      expect(callback.headers['esc_transaction_id']).toBe(transactionId);
      expect(callback.headers['esc-status-code']).toBe('200');
      expect(callback.headers['esc-status-message']).toBe(fixtures[i].headers['ESC-Status-Message']);
      expect(xmlShape(callback.body)).toEqual(xmlShape(withoutSubnetFields(fixtures[i].body)));
      const body = xmlOf(callback);
      expect(body).toMatchObject({
        deployment_name: 'MyDemoDepName',
        internal_deployment_id: 'my_dep_id',
        internal_tenant_id: ADMIN,
        service_state_machine_state: 'SERVICE_STOPPED_STATE',
        deployment_details: { vm_group_name: 'ASA-1', vm_state_machine_state: 'VM_SHUTOFF_STATE' },
      });
    });

    const got = await current();
    expect(got.service_state_machine_state).toBe('SERVICE_STOPPED_STATE');
    expect(got.deployment_details.vm_state_machine_state).toBe('VM_SHUTOFF_STATE');
  });

  it('sends one VM_STOPPED per VM and lists every VM in SERVICE_STOPPED', async () => {
    await deployed('two', TWO_VMS_XML);
    await operate('stop', { id: 'two' }).expect(200);
    const callbacks = await context.receiver.waitForStage('SERVICE_STOPPED');
    expect(callbacks.map(stageOf)).toEqual(['VM_STOPPED', 'VM_STOPPED', 'SERVICE_STOPPED']);
    const names = callbacks.slice(0, 2).map((callback) => xmlOf(callback).deployment_details.vm_name);
    expect(names[0]).toMatch(/_ASA-1_0_/);
    expect(names[1]).toMatch(/_ASA-1_1_/);
    const final = xmlOf(callbacks[2]).deployment_details;
    expect(final.map((vm: { vm_name: string }) => vm.vm_name)).toEqual(names);
  });

  it('starts a stopped deployment: VM_STARTED per VM, then SERVICE_STARTED', async () => {
    await deployed();
    await stopped();
    const res = await operate('start').expect(200);
    const callbacks = await context.receiver.waitForStage('SERVICE_STARTED');
    expect(callbacks.map(stageOf)).toEqual(['VM_STARTED', 'SERVICE_STARTED']);
    expect(callbacks.every((callback) => callback.headers['esc_transaction_id'] === res.headers['esc-transaction-id'])).toBe(true);
    expect(callbacks.map((callback) => callback.headers['esc-status-message'])).toEqual([
      'VM successfully started',
      'Service group start completed successfully',
    ]);
    expect(xmlOf(callbacks[0])).toMatchObject({
      service_state_machine_state: 'SERVICE_ACTIVE_STATE',
      deployment_details: { vm_state_machine_state: 'VM_ALIVE_STATE' },
    });
    expect(xmlOf(callbacks[1]).service_state_machine_state).toBe('SERVICE_ACTIVE_STATE');

    const got = await current();
    expect(got.service_state_machine_state).toBe('SERVICE_ACTIVE_STATE');
    expect(got.deployment_details.vm_state_machine_state).toBe('VM_ALIVE_STATE');
  });

  it.each([
    ['reboot', 'VM_REBOOTED', 'SERVICE_REBOOTED', 'VM successfully rebooted', 'Service group reboot completed successfully'],
    ['enable_monitoring', 'VM_MONITOR_ENABLED', 'SERVICE_MONITOR_ENABLED', 'VM monitoring successfully enabled', 'Service group monitoring enabled successfully'],
    ['disable_monitoring', 'VM_MONITOR_DISABLED', 'SERVICE_MONITOR_DISABLED', 'VM monitoring successfully disabled', 'Service group monitoring disabled successfully'],
  ])('%s: %s per VM, then %s, leaving the deployment active', async (operation, vmStage, serviceStage, vmMessage, serviceMessage) => {
    await deployed();
    await operate(operation).expect(200);
    const callbacks = await context.receiver.waitForStage(serviceStage);
    expect(callbacks.map(stageOf)).toEqual([vmStage, serviceStage]);
    expect(callbacks.map((callback) => callback.headers['esc-status-message'])).toEqual([vmMessage, serviceMessage]);
    expect(callbacks.map((callback) => callback.headers['esc-status-code'])).toEqual(['200', '200']);
    expect(xmlOf(callbacks[0]).deployment_details.vm_state_machine_state).toBe('VM_ALIVE_STATE');
    expect(xmlOf(callbacks[1]).service_state_machine_state).toBe('SERVICE_ACTIVE_STATE');
    expect((await current()).service_state_machine_state).toBe('SERVICE_ACTIVE_STATE');
  });

  it('changes the monitoring of a stopped deployment without starting it', async () => {
    await deployed();
    await stopped();
    await operate('disable_monitoring').expect(200);
    const callbacks = await context.receiver.waitForStage('SERVICE_MONITOR_DISABLED');
    expect(xmlOf(callbacks[0])).toMatchObject({
      service_state_machine_state: 'SERVICE_STOPPED_STATE',
      deployment_details: { vm_state_machine_state: 'VM_SHUTOFF_STATE' },
    });
    expect((await current()).service_state_machine_state).toBe('SERVICE_STOPPED_STATE');
  });

  describe('on a stopped deployment', () => {
    it('refuses an update with 400 (not applicable)', async () => {
      await deployed();
      await stopped();
      const res = await request(context.sim.baseUrl)
        .put('/ESCManager/v0/deployments/my_dep_id')
        .set('Content-Type', 'application/xml')
        .set('Callback', context.receiver.url)
        .send(escFixture('deployment_update_add_group.request.xml'))
        .expect(400);
      expect(res.text).toMatch(/stopped: update is not applicable/);
    });

    it('accepts an undeploy', async () => {
      await deployed();
      await stopped();
      await request(context.sim.baseUrl).delete('/ESCManager/v0/deployments/my_dep_id').set('Callback', context.receiver.url).expect(200);
      const callbacks = await context.receiver.waitForStage('SERVICE_UNDEPLOYED');
      expect(callbacks.map(stageOf)).toEqual(['VM_UNDEPLOYED', 'SERVICE_UNDEPLOYED']);
      await request(context.sim.baseUrl).get('/ESCManager/v0/deployments/my_dep_id').expect(404);
    });
  });

  describe('refusals', () => {
    it.each([
      ['no Callback header', { callback: null }, /Missing callback/],
      ['a malformed body', { body: '<service_operation><operation>stop</service_operation>' }, /^Malformed XML: /],
      ['a body that is not XML', { body: 'stop' }, /^Malformed XML: /],
      ['an empty body', { body: '' }, /body is empty/],
      ['a wrong root element', { body: escFixture('vm_operation_stop.request.xml') }, /Root element must be service_operation, got vm_operation/],
      ['no operation', { body: '<service_operation xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>' }, /service_operation\/operation is required/],
      ['an unknown operation', { body: operationXml('pause') }, /operation must be one of stop, start, reboot, enable_monitoring, disable_monitoring, got 'pause'/],
    ])('answers 400 for %s', async (_, options, message) => {
      await deployed();
      const res = await operate('stop', options).expect(400);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(message);
      expect((await current()).service_state_machine_state).toBe('SERVICE_ACTIVE_STATE');
    });

    it('answers 400 for start on a running deployment, stop and reboot on a stopped one', async () => {
      await deployed();
      expect((await operate('start').expect(400)).text).toBe('Deployment operation start on my_dep_id is not applicable: it is already running');
      await stopped();
      expect((await operate('stop').expect(400)).text).toMatch(/not applicable: it is already stopped/);
      expect((await operate('reboot').expect(400)).text).toMatch(/not applicable: it is stopped/);
      expect(context.receiver.received).toHaveLength(0);
    });

    it('answers 400 while the deployment is still deploying, and while it is being undeployed', async () => {
      context.receiver.hold();
      await create('my_dep_id').expect(200);
      await context.receiver.waitForStage('VM_DEPLOYED');
      expect((await operate('stop').expect(400)).text).toMatch(/not applicable: it is still deploying/);
      context.receiver.release();
      await context.receiver.waitForStage('SERVICE_ALIVE');

      context.receiver.hold();
      await request(context.sim.baseUrl).delete('/ESCManager/v0/deployments/my_dep_id').set('Callback', context.receiver.url).expect(200);
      await context.receiver.waitForStage('VM_UNDEPLOYED');
      expect((await operate('stop').expect(400)).text).toMatch(/not applicable: it is being undeployed/);
    });

    it('answers 404 for an unknown tenant, an unknown deployment, and a deployment of another tenant', async () => {
      await deployed();
      await create('other_tenant', CREATE_XML.replace('<name>admin</name>', '<name>tenant-b</name>')).expect(200);
      await context.receiver.waitForStage('SERVICE_ALIVE');

      expect((await operate('stop', { tenant: 'nope' }).expect(404)).text).toBe('Tenant nope not found');
      expect((await operate('stop', { id: 'nope' }).expect(404)).text).toBe(`Deployment nope not found in tenant ${ADMIN}`);
      expect((await operate('stop', { id: 'other_tenant' }).expect(404)).text).toBe(`Deployment other_tenant not found in tenant ${ADMIN}`);
      await operate('stop', { tenant: 'tenant-b', id: 'other_tenant' }).expect(200);
    });

    it('answers 409 while another operation of the deployment runs, and refuses an update then too', async () => {
      await deployed();
      context.receiver.hold();
      await operate('stop').expect(200);
      await context.receiver.waitForStage('VM_STOPPED');
      expect((await operate('start').expect(409)).text).toMatch(/operation in progress/);
      await operate('stop').expect(409);
      await request(context.sim.baseUrl)
        .put('/ESCManager/v0/deployments/my_dep_id')
        .set('Content-Type', 'application/xml')
        .send(CREATE_XML)
        .expect(409);
      context.receiver.release();
      await context.receiver.waitForStage('SERVICE_STOPPED');
    });

    it('answers 415 for a body not declared as XML', async () => {
      await deployed();
      await operate('stop').set('Content-Type', 'application/json').expect(415);
    });
  });

  describe('fault rules (operation service_operation)', () => {
    const addFault = (rule: object) => request(context.sim.baseUrl).post('/_sim/faults').send(rule).expect(201);

    it('refuses the request with the rule\'s status, leaving the deployment as it was', async () => {
      await deployed();
      await addFault({ operation: 'service_operation', match: { internalId: 'my_dep_id' }, respond: { status: 503 }, times: 1 });
      const res = await operate('stop').expect(503);
      expect(res.text).toBe('Simulated service_operation failure');
      expect(res.headers['esc-transaction-id']).toBeUndefined();
      expect((await current()).service_state_machine_state).toBe('SERVICE_ACTIVE_STATE');
      await operate('stop').expect(200);
    });

    it('fails the final callback with the rule\'s ESC-Status-Code; the VMs stay as they were, the service in error', async () => {
      await deployed();
      await addFault({ operation: 'service_operation', match: { deploymentName: 'Demo' }, callback: { statusCode: 500, message: 'VIM refused to stop' }, times: 1 });
      const res = await operate('stop').expect(200);
      const callbacks = await context.receiver.waitForStage('SERVICE_STOPPED');
      expect(callbacks.map(stageOf)).toEqual(['SERVICE_STOPPED']);
      expect(callbacks[0].headers).toMatchObject({
        esc_transaction_id: res.headers['esc-transaction-id'],
        'esc-status-code': '500',
        'esc-status-message': 'VIM refused to stop',
      });
      expect(xmlOf(callbacks[0])).toMatchObject({
        service_state_machine_state: 'SERVICE_ERROR_STATE',
        deployment_details: { vm_state_machine_state: 'VM_ALIVE_STATE' },
      });
      const got = await current();
      expect(got.service_state_machine_state).toBe('SERVICE_ERROR_STATE');
      expect(got.deployment_details.vm_state_machine_state).toBe('VM_ALIVE_STATE');

      // A deployment in error can be stopped (or started) again.
      context.receiver.clear();
      await operate('stop').expect(200);
      expect((await context.receiver.waitForStage('SERVICE_STOPPED')).map(stageOf)).toEqual(['VM_STOPPED', 'SERVICE_STOPPED']);
    });
  });
});
