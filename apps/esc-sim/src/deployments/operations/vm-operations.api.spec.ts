import request from 'supertest';
import { stageOf } from '../../testing/callback-receiver';
import { ADMIN_TENANT, CREATE_XML, deploymentSteps, operationXml, RequestHeaders } from '../../testing/deployment-steps';
import { escCallbackFixture, escFixture, parseXml, xmlShape } from '../../testing/fixtures';
import { useEscSim } from '../../testing/sim-context';

const VM_STOP_XML = escFixture('vm_operation_stop.request.xml');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TWO_VMS_XML = CREATE_XML.replace(
  '<min_active>1</min_active>\n              <max_active>1</max_active>',
  '<min_active>2</min_active>\n              <max_active>2</max_active>',
);

/** The reference's interfaces have gateway and netmask, which the simulator (without subnets) leaves out. */
const withoutSubnetFields = (xml: string) => xml.replace(/\s*<(gateway|netmask)>[^<]*<\/\1>/g, '');

describe('ESC VM operations (POST /v0/{tenant}/deployments/vm/{vm_name})', () => {
  const context = useEscSim({ callbackDelayMs: 2 });
  const steps = deploymentSteps(context);

  type Options = RequestHeaders & { tenant?: string; body?: string };
  const vmOperation = (vmName: string, operation: string, { tenant = ADMIN_TENANT, body, ...headers }: Options = {}) =>
    steps.post(`${tenant}/deployments/vm/${vmName}`, body ?? operationXml('vm_operation', operation), headers);

  async function vmState(name: string, id = 'my_dep_id'): Promise<string> {
    return (await steps.current(id)).vms.find((vm) => vm.vm_name === name)!.vm_state_machine_state;
  }

  it('stops one VM and reports VM_STOP_COMPLETE as an esc_event shaped like the reference', async () => {
    const [vm] = await steps.deployed();
    const res = await vmOperation(vm, 'stop', { body: VM_STOP_XML }).expect(200);
    const transactionId = res.headers['esc-transaction-id'];
    expect(transactionId).toMatch(UUID);
    expect(parseXml(res.text).esc_request).toMatchObject({ operation: 'stop', internal_deployment_id: 'my_dep_id', vm_name: vm, transaction_id: transactionId });

    const [callback] = await context.receiver.waitForStage('VM_STOP_COMPLETE');
    const fixture = escCallbackFixture('callback_vm_operation_stop_complete.json');
    expect(callback.headers['content-type']).toBe('application/xml; charset=UTF-8');
    expect(callback.headers['esc_transaction_id']).toBe(transactionId);
    expect(callback.headers['esc-status-code']).toBe('200');
    expect(callback.headers['esc-status-message']).toBe(`Successfully stopped VM [${vm}]`);
    expect(xmlShape(callback.body)).toEqual(xmlShape(withoutSubnetFields(fixture.body)));
    const event = parseXml(callback.body).esc_event;
    expect(event['@_xmlns']).toBe('urn:ietf:params:xml:ns:netconf:base:1.0');
    expect(event).toMatchObject({
      deployment_name: 'MyDemoDepName',
      event_details: '',
      event_type: 'VM_STOP_COMPLETE',
      internal_deployment_id: 'my_dep_id',
      internal_tenant_id: ADMIN_TENANT,
      external_tenant_id: ADMIN_TENANT,
      vm_source: {
        interfaces: { network_uuid: 'MgtNetwork', ip_address: '18.0.0.16', nic_id: '1', type: 'virtual' },
        host_uuid: 'host-14882',
        vm_group_name: 'ASA-1',
        vm_name: vm,
      },
    });
    expect(event.external_deployment_id).toMatch(UUID);
    expect(event.vm_source.vm_uuid).toMatch(UUID);

    expect(await vmState(vm)).toBe('VM_SHUTOFF_STATE');
    expect((await steps.current()).deployment.service_state_machine_state).toBe('SERVICE_ACTIVE_STATE');
  });

  it('starts a stopped VM (VM_START_COMPLETE, VM_ALIVE_STATE), touching only that VM', async () => {
    const [first, second] = await steps.deployed('two', TWO_VMS_XML);
    await vmOperation(second, 'stop').expect(200);
    await context.receiver.waitForStage('VM_STOP_COMPLETE');
    expect(await vmState(first, 'two')).toBe('VM_ALIVE_STATE');
    expect(await vmState(second, 'two')).toBe('VM_SHUTOFF_STATE');

    await vmOperation(second, 'start').expect(200);
    const callbacks = await context.receiver.waitForStage('VM_START_COMPLETE');
    expect(callbacks.map(stageOf)).toEqual(['VM_STOP_COMPLETE', 'VM_START_COMPLETE']);
    expect(callbacks[1].headers['esc-status-message']).toBe(`Successfully started VM [${second}]`);
    expect(parseXml(callbacks[1].body).esc_event.vm_source.vm_name).toBe(second);
    expect(await vmState(second, 'two')).toBe('VM_ALIVE_STATE');
  });

  it.each([
    ['reboot', 'VM_REBOOT_COMPLETE', 'Successfully rebooted VM'],
    ['enable_monitoring', 'VM_ENABLE_MONITORING_COMPLETE', 'Successfully enabled monitoring on VM'],
    ['disable_monitoring', 'VM_DISABLE_MONITORING_COMPLETE', 'Successfully disabled monitoring on VM'],
  ])('%s reports %s', async (operation, eventType, message) => {
    const [vm] = await steps.deployed();
    const res = await vmOperation(vm, operation).expect(200);
    const callbacks = await context.receiver.waitForStage(eventType);
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0].headers).toMatchObject({
      esc_transaction_id: res.headers['esc-transaction-id'],
      'esc-status-code': '200',
      'esc-status-message': `${message} [${vm}]`,
    });
    expect(await vmState(vm)).toBe('VM_ALIVE_STATE');
  });

  it('sends the callback to Callback, and remembers Callback-ESC-Events on the deployment', async () => {
    const [vm] = await steps.deployed();
    await vmOperation(vm, 'reboot', { events: `${context.receiver.url}?events` }).expect(200);
    const [callback] = await context.receiver.waitForStage('VM_REBOOT_COMPLETE');
    expect(callback.path).toBe('/esc/callback');

    // Events outside requests now go to that URL.
    context.receiver.clear();
    await request(context.sim.baseUrl).post('/_sim/deployments/my_dep_id/events').send({ event: 'VM_ALIVE' }).expect(202);
    expect((await context.receiver.waitForStage('VM_ALIVE'))[0].path).toBe('/esc/callback?events');
  });

  describe('refusals', () => {
    it.each([
      ['no Callback header', { callback: null }, /Missing callback/],
      ['a body that is not XML', { body: 'stop' }, /^Malformed XML: /],
      ['a service_operation body', { body: escFixture('service_operation_stop.request.xml') }, /Root element must be vm_operation, got service_operation/],
      ['no operation', { body: '<vm_operation><properties/></vm_operation>' }, /vm_operation\/operation is required/],
      ['an unknown operation', { body: operationXml('vm_operation', 'recovery_do') }, /must be one of stop, start, reboot, enable_monitoring, disable_monitoring, got 'recovery_do'/],
    ])('answers 400 for %s', async (_, options, message) => {
      const [vm] = await steps.deployed();
      const res = await vmOperation(vm, 'stop', options).expect(400);
      expect(res.text).toMatch(message);
      expect(await vmState(vm)).toBe('VM_ALIVE_STATE');
    });

    it('answers 400 for start on a running VM, stop and reboot on a stopped one', async () => {
      const [vm] = await steps.deployed();
      expect((await vmOperation(vm, 'start').expect(400)).text).toBe(`VM operation start on VM ${vm} is not applicable: it is already running`);
      await vmOperation(vm, 'stop').expect(200);
      await context.receiver.waitForStage('VM_STOP_COMPLETE');
      expect((await vmOperation(vm, 'stop').expect(400)).text).toMatch(/not applicable: it is already stopped/);
      expect((await vmOperation(vm, 'reboot').expect(400)).text).toMatch(/not applicable: it is stopped/);
    });

    it('answers 400 while the deployment is still deploying', async () => {
      context.receiver.hold();
      await steps.create('my_dep_id').expect(200);
      const [deployed] = await context.receiver.waitForStage('VM_DEPLOYED');
      const vm = parseXml(deployed.body).deployment.deployment_details.vm_name;
      expect((await vmOperation(vm, 'stop').expect(400)).text).toMatch(/my_dep_id is not applicable: it is still deploying/);
    });

    it('answers 404 for an unknown tenant, an unknown VM, and a VM of another tenant', async () => {
      const [vm] = await steps.deployed();
      const [other] = await steps.deployed('other', CREATE_XML.replace('<name>admin</name>', '<name>tenant-b</name>'));
      expect((await vmOperation(vm, 'stop', { tenant: 'nope' }).expect(404)).text).toBe('Tenant nope not found');
      expect((await vmOperation('nope', 'stop').expect(404)).text).toBe(`VM nope not found in tenant ${ADMIN_TENANT}`);
      await vmOperation(other, 'stop').expect(404);
      await vmOperation(other, 'stop', { tenant: 'tenant-b' }).expect(200);
    });

    it('answers 409 while another operation of the deployment runs', async () => {
      const [vm] = await steps.deployed();
      context.receiver.hold();
      await steps.post(`${ADMIN_TENANT}/deployments/service/my_dep_id`, operationXml('service_operation', 'reboot')).expect(200);
      await context.receiver.waitForStage('VM_REBOOTED');
      expect((await vmOperation(vm, 'stop').expect(409)).text).toMatch(/operation in progress/);
    });
  });

  describe('fault rules (operation vm_operation)', () => {
    it('refuses the request with the rule\'s status', async () => {
      const [vm] = await steps.deployed();
      await steps.addFault({ operation: 'vm_operation', respond: { status: 500, body: '<error>VIM down</error>' }, times: 1 });
      const res = await vmOperation(vm, 'stop').expect(500);
      expect(res.headers['content-type']).toMatch(/^application\/xml/);
      expect(res.text).toBe('<error>VIM down</error>');
      expect(await vmState(vm)).toBe('VM_ALIVE_STATE');
    });

    it('fails the callback with the rule\'s ESC-Status-Code for the VM it names, leaving the VM as it was', async () => {
      const [first, second] = await steps.deployed('two', TWO_VMS_XML);
      await steps.addFault({ operation: 'vm_operation', match: { vmName: second.slice(-36) }, callback: { statusCode: 500, message: 'Failed to stop VM' } });

      await vmOperation(first, 'stop').expect(200);
      const [ok] = await context.receiver.waitForStage('VM_STOP_COMPLETE');
      expect(ok.headers['esc-status-code']).toBe('200');

      await vmOperation(second, 'stop').expect(200);
      const failed = (await context.receiver.waitForStage('VM_STOP_COMPLETE', 2))[1];
      expect(failed.headers).toMatchObject({ 'esc-status-code': '500', 'esc-status-message': 'Failed to stop VM' });
      expect(parseXml(failed.body).esc_event.vm_source.vm_name).toBe(second);
      expect(await vmState(first, 'two')).toBe('VM_SHUTOFF_STATE');
      expect(await vmState(second, 'two')).toBe('VM_ALIVE_STATE');
    });
  });
});
