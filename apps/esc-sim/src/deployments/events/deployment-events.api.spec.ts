import request from 'supertest';
import { ReceivedCallback, stageOf } from '../../testing/callback-receiver';
import { ADMIN_TENANT, CREATE_XML, deploymentSteps, operationXml } from '../../testing/deployment-steps';
import { eventually } from '../../testing/eventually';
import { escCallbackFixture, parseXml, xmlShape } from '../../testing/fixtures';
import { useEscSim } from '../../testing/sim-context';

describe('VM events outside requests (POST /_sim/deployments/{id}/events)', () => {
  const context = useEscSim({ callbackDelayMs: 2 });
  const steps = deploymentSteps(context);
  const eventsUrl = () => `${context.receiver.url}?events`;

  const trigger = (body: object, id = 'my_dep_id') => request(context.sim.baseUrl).post(`/_sim/deployments/${id}/events`).send(body);

  /** A deployment whose Callback-ESC-Events is the receiver's ?events URL. */
  const deployed = (id = 'my_dep_id', body = CREATE_XML) => steps.deployed(id, body, { events: eventsUrl() });

  const notification = (callback: ReceivedCallback) => parseXml(callback.body).deployment;

  it('VM_DOWN: a <deployment> notification to Callback-ESC-Events, without transaction id; the VM is in error', async () => {
    const [vm] = await deployed();
    const res = await trigger({ event: 'VM_DOWN' }).expect(202);
    expect(res.body).toEqual({ sent: ['VM_DOWN'], vm_name: vm, url: eventsUrl() });

    const [callback] = await context.receiver.waitForStage('VM_DOWN');
    expect(callback.path).toBe('/esc/callback?events');
    expect(callback.headers['esc_transaction_id']).toBeUndefined();
    expect(callback.headers['content-type']).toBe('application/xml; charset=UTF-8');
    expect(callback.headers['esc-status-code']).toBe('200');
    expect(callback.headers['esc-status-message']).toBe(`VM_Down event received, VM ID: [${vm}]`);
    expect(xmlShape(callback.body)).toEqual(xmlShape(escCallbackFixture('callback_deploy_2_vm_alive.json').body));
    expect(notification(callback)).toMatchObject({
      deployment_stage: 'VM_DOWN',
      service_state_machine_state: 'SERVICE_ACTIVE_STATE',
      deployment_details: { vm_name: vm, vm_state_machine_state: 'VM_ERROR_STATE' },
    });
    expect((await steps.current()).vms[0].vm_state_machine_state).toBe('VM_ERROR_STATE');
  });

  it('VM_ALIVE: the VM is alive again; a VM named by vm_name', async () => {
    const twoVms = CREATE_XML.replace('<min_active>1</min_active>', '<min_active>2</min_active>').replace('<max_active>1</max_active>', '<max_active>2</max_active>');
    const [first, second] = await deployed('two', twoVms);
    await trigger({ event: 'VM_DOWN', vm_name: second }, 'two').expect(202);
    await context.receiver.waitForStage('VM_DOWN');
    await trigger({ event: 'VM_ALIVE', vm_name: second }, 'two').expect(202);
    const callbacks = await context.receiver.waitForStage('VM_ALIVE');
    expect(callbacks.map(stageOf)).toEqual(['VM_DOWN', 'VM_ALIVE']);
    expect(callbacks[1].headers['esc_transaction_id']).toBeUndefined();
    expect(callbacks[1].headers['esc-status-message']).toBe(`VM_Alive event received, VM ID: [${second}]`);
    expect(notification(callbacks[1]).deployment_details).toMatchObject({ vm_name: second, vm_state_machine_state: 'VM_ALIVE_STATE' });
    const { vms } = await steps.current('two');
    expect(vms.map((vm) => [vm.vm_name, vm.vm_state_machine_state])).toEqual([
      [first, 'VM_ALIVE_STATE'],
      [second, 'VM_ALIVE_STATE'],
    ]);
  });

  it('VM_RECOVERY: the recovery esc_events, without transaction id; the VM gets a new vm_uuid', async () => {
    const [vm] = await deployed();
    const before = (await steps.current()).vms[0].vm_uuid;
    const res = await trigger({ event: 'VM_RECOVERY' }).expect(202);
    expect(res.body.sent).toEqual(['VM_RECOVERY_INIT', 'VM_RECOVERY_UNDEPLOYED', 'VM_RECOVERY_DEPLOYED', 'VM_RECOVERY_COMPLETE']);
    const callbacks = await context.receiver.waitForStage('VM_RECOVERY_COMPLETE');
    expect(callbacks.map(stageOf)).toEqual(res.body.sent);
    expect(callbacks.every((callback) => callback.headers['esc_transaction_id'] === undefined)).toBe(true);
    expect(callbacks.every((callback) => callback.path === '/esc/callback?events')).toBe(true);
    expect(parseXml(callbacks[3].body).esc_event.vm_source.vm_name).toBe(vm);
    const after = (await steps.current()).vms[0];
    expect(after.vm_uuid).not.toBe(before);
    expect(after.vm_state_machine_state).toBe('VM_ALIVE_STATE');
  });

  it('SCALE_OUT adds a VM to the first vm_group (VM_SCALE_OUT_DEPLOYED, VM_ALIVE); SCALE_IN takes it away (VM_UNDEPLOYED)', async () => {
    const [first] = await deployed();
    const out = await trigger({ event: 'SCALE_OUT' }).expect(202);
    expect(out.body.sent).toEqual(['VM_SCALE_OUT_DEPLOYED', 'VM_ALIVE']);
    const added = out.body.vm_name;
    expect(added).toMatch(/^MyDemoDepName_ASA-1_1_/);
    const callbacks = await context.receiver.waitForStage('VM_ALIVE');
    expect(callbacks.map(stageOf)).toEqual(['VM_SCALE_OUT_DEPLOYED', 'VM_ALIVE']);
    expect(notification(callbacks[0]).deployment_details).toMatchObject({ vm_name: added, vm_group_name: 'ASA-1', vm_state_machine_state: 'VM_INSERT_STATE' });
    expect(notification(callbacks[1]).deployment_details).toMatchObject({ vm_name: added, vm_state_machine_state: 'VM_ALIVE_STATE' });
    expect((await steps.current()).vms.map((vm) => vm.vm_name)).toEqual([first, added]);

    context.receiver.clear();
    const scaledIn = await trigger({ event: 'SCALE_IN' }).expect(202);
    expect(scaledIn.body).toMatchObject({ sent: ['VM_UNDEPLOYED'], vm_name: added });
    const [undeployed] = await context.receiver.waitForStage('VM_UNDEPLOYED');
    expect(undeployed.headers['esc_transaction_id']).toBeUndefined();
    expect(notification(undeployed).deployment_details).toMatchObject({ vm_name: added, vm_state_machine_state: 'VM_UNDEPLOYED_STATE' });
    expect((await steps.current()).vms.map((vm) => vm.vm_name)).toEqual([first]);

    // Not below min_active.
    expect((await trigger({ event: 'SCALE_IN' }).expect(409)).body.message).toMatch(/min_active is 1/);
  });

  it('falls back to the Callback URL when no Callback-ESC-Events was given, and follows the latest one given', async () => {
    await steps.deployed();
    expect((await trigger({ event: 'VM_DOWN' }).expect(202)).body.url).toBe(context.receiver.url);
    expect((await context.receiver.waitForStage('VM_DOWN'))[0].path).toBe('/esc/callback');

    context.receiver.clear();
    const later = `${context.receiver.url}?later`;
    await steps.post(`${ADMIN_TENANT}/deployments/service/my_dep_id`, operationXml('service_operation', 'enable_monitoring'), { events: later }).expect(200);
    await context.receiver.waitForStage('SERVICE_MONITOR_ENABLED');
    await trigger({ event: 'VM_ALIVE' }).expect(202);
    const alive = (await context.receiver.waitForStage('VM_ALIVE')).find((callback) => stageOf(callback) === 'VM_ALIVE')!;
    expect(alive.path).toBe('/esc/callback?later');
  });

  it('changes state but sends nothing when the deployment has no callback URL', async () => {
    await steps.create('quiet', CREATE_XML, { callback: null }).expect(200);
    await eventually(async () => expect((await steps.current('quiet')).deployment.service_state_machine_state).toBe('SERVICE_ACTIVE_STATE'));
    const res = await trigger({ event: 'VM_DOWN' }, 'quiet').expect(202);
    expect(res.body.url).toBeNull();
    await eventually(async () => expect((await steps.current('quiet')).vms[0].vm_state_machine_state).toBe('VM_ERROR_STATE'));
    expect(context.receiver.received).toHaveLength(0);
  });

  describe('refusals (JSON errors)', () => {
    it('answers 404 for an unknown deployment or vm_name', async () => {
      expect((await trigger({ event: 'VM_DOWN' }, 'nope').expect(404)).body).toEqual({ statusCode: 404, message: 'Deployment nope not found' });
      await deployed();
      expect((await trigger({ event: 'VM_DOWN', vm_name: 'nope' }).expect(404)).body.message).toBe('VM nope not found in deployment my_dep_id');
    });

    it.each([
      [{}, /^event must be one of VM_DOWN, VM_ALIVE, VM_RECOVERY, SCALE_OUT, SCALE_IN$/],
      [{ event: 'VM_EXPLODED' }, /^event must be one of/],
      [{ event: 'VM_DOWN', vm_name: 7 }, /^vm_name must be a non-empty string$/],
      [{ event: 'SCALE_OUT', vm_name: 'x' }, /^vm_name does not apply to SCALE_OUT/],
    ])('answers 400 naming the field for %j', async (body, message) => {
      await deployed();
      expect((await trigger(body).expect(400)).body.message).toMatch(message);
    });

    it('answers 409 while an operation of the deployment runs', async () => {
      context.receiver.hold();
      await steps.create('my_dep_id').expect(200);
      await context.receiver.waitForStage('VM_DEPLOYED');
      expect((await trigger({ event: 'VM_DOWN' }).expect(409)).body.message).toMatch(/operation in progress/);
    });
  });
});
