import { stageOf } from '../../testing/callback-receiver';
import { ADMIN_TENANT, deploymentSteps, operationXml, RequestHeaders } from '../../testing/deployment-steps';
import { parseXml } from '../../testing/fixtures';
import { useEscSim } from '../../testing/sim-context';

const RECOVERY_STAGES = ['VM_RECOVERY_INIT', 'VM_RECOVERY_UNDEPLOYED', 'VM_RECOVERY_DEPLOYED', 'VM_RECOVERY_COMPLETE'];
const recoveryXml = (extra = '', operation = 'recovery_do') => operationXml('recovery_vm_operation', operation, extra);
const snapshotXml = (name?: string) => operationXml('snapshot_vm_operation', 'snapshot', name === undefined ? '' : `\n  <name>${name}</name>`);

describe('ESC VM recovery and snapshot (POST /v0/{tenant}/deployments/recovery-vm|snapshot-vm/{vm_name})', () => {
  const context = useEscSim({ callbackDelayMs: 2 });
  const steps = deploymentSteps(context);
  const eventsUrl = () => `${context.receiver.url}?events`;

  const recover = (vmName: string, body = recoveryXml(), headers: RequestHeaders = {}) =>
    steps.post(`${ADMIN_TENANT}/deployments/recovery-vm/${vmName}`, body, headers);
  const snapshot = (vmName: string, body = snapshotXml('snap-1'), headers: RequestHeaders = {}) =>
    steps.post(`${ADMIN_TENANT}/deployments/snapshot-vm/${vmName}`, body, headers);

  async function onlyVm(): Promise<Record<string, any>> {
    return (await steps.current()).vms[0];
  }

  describe('recovery-vm', () => {
    it('reports VM_RECOVERY_INIT, _UNDEPLOYED, _DEPLOYED, _COMPLETE as esc_events; the VM comes back with a new vm_uuid', async () => {
      const [vm] = await steps.deployed();
      const before = await onlyVm();
      const res = await recover(vm, recoveryXml('\n  <checkVmBeforeRecovery>false</checkVmBeforeRecovery>\n  <properties/>')).expect(200);
      const transactionId = res.headers['esc-transaction-id'];
      expect(parseXml(res.text).esc_request).toMatchObject({ operation: 'recovery_do', vm_name: vm, transaction_id: transactionId });

      const callbacks = await context.receiver.waitForStage('VM_RECOVERY_COMPLETE');
      expect(callbacks.map(stageOf)).toEqual(RECOVERY_STAGES);
      for (const callback of callbacks) {
        expect(callback.path).toBe('/esc/callback');
        expect(callback.headers['esc_transaction_id']).toBe(transactionId);
        expect(callback.headers['esc-status-code']).toBe('200');
        expect(parseXml(callback.body).esc_event).toMatchObject({ internal_deployment_id: 'my_dep_id', vm_source: { vm_name: vm } });
      }
      expect(callbacks[3].headers['esc-status-message']).toBe(`Recovery: Successfully recovered VM [${vm}]`);
      const uuids = callbacks.map((callback) => parseXml(callback.body).esc_event.vm_source.vm_uuid);
      expect(uuids.slice(0, 2)).toEqual([before.vm_uuid, before.vm_uuid]);
      expect(uuids[2]).not.toBe(before.vm_uuid);
      expect(uuids[3]).toBe(uuids[2]);

      const after = await onlyVm();
      expect(after).toMatchObject({ vm_name: vm, vm_uuid: uuids[2], vm_state_machine_state: 'VM_ALIVE_STATE' });
    });

    it('sends to Callback-ESC-Events without Callback, and else to the deployment\'s events URL', async () => {
      const [vm] = await steps.deployed('my_dep_id', undefined, { events: `${context.receiver.url}?from-create` });
      await recover(vm, recoveryXml(), { callback: null, events: eventsUrl() }).expect(200);
      let callbacks = await context.receiver.waitForStage('VM_RECOVERY_COMPLETE');
      expect(callbacks.map((callback) => callback.path)).toEqual(RECOVERY_STAGES.map(() => '/esc/callback?events'));

      // The request's Callback-ESC-Events replaced the one the create gave.
      context.receiver.clear();
      const res = await recover(vm, recoveryXml(), { callback: null }).expect(200);
      callbacks = await context.receiver.waitForStage('VM_RECOVERY_COMPLETE');
      expect(callbacks.every((callback) => callback.path === '/esc/callback?events')).toBe(true);
      expect(callbacks[0].headers['esc_transaction_id']).toBe(res.headers['esc-transaction-id']);
    });

    it('refuses with 400 a VM that is alive when checkVmBeforeRecovery is true, and recovers a stopped one', async () => {
      const [vm] = await steps.deployed();
      const check = recoveryXml('\n  <checkVmBeforeRecovery>true</checkVmBeforeRecovery>');
      expect((await recover(vm, check).expect(400)).text).toBe(`Recovery of VM ${vm} is not applicable: it is alive (checkVmBeforeRecovery is true)`);

      await steps.post(`${ADMIN_TENANT}/deployments/vm/${vm}`, operationXml('vm_operation', 'stop')).expect(200);
      await context.receiver.waitForStage('VM_STOP_COMPLETE');
      await recover(vm, check).expect(200);
      await context.receiver.waitForStage('VM_RECOVERY_COMPLETE');
      expect((await onlyVm()).vm_state_machine_state).toBe('VM_ALIVE_STATE');
    });

    it.each([
      ['another operation', recoveryXml('', 'recovery_undo'), /recovery_vm_operation\/operation must be recovery_do, got 'recovery_undo'/],
      ['no operation', '<recovery><checkVmBeforeRecovery>true</checkVmBeforeRecovery></recovery>', /recovery\/operation is required/],
      ['a body that is not XML', '{"operation":"recovery_do"}', /^Malformed XML: /],
      ['a bad checkVmBeforeRecovery', recoveryXml('<checkVmBeforeRecovery>yes</checkVmBeforeRecovery>'), /checkVmBeforeRecovery must be true or false, got 'yes'/],
    ])('answers 400 for %s', async (_, body, message) => {
      const [vm] = await steps.deployed();
      expect((await recover(vm, body).expect(400)).text).toMatch(message);
    });

    it('accepts any root element', async () => {
      const [vm] = await steps.deployed();
      await recover(vm, '<anything><operation>recovery_do</operation></anything>').expect(200);
      await context.receiver.waitForStage('VM_RECOVERY_COMPLETE');
    });

    it('answers 404 for an unknown VM and 409 while another operation runs', async () => {
      const [vm] = await steps.deployed();
      await recover('nope').expect(404);
      context.receiver.hold();
      await recover(vm).expect(200);
      await context.receiver.waitForStage('VM_RECOVERY_INIT');
      await recover(vm).expect(409);
    });

    it('with a callback fault rule (operation recovery): INIT, then a failed COMPLETE; the VM is left in error', async () => {
      const [vm] = await steps.deployed();
      const before = await onlyVm();
      await steps.addFault({ operation: 'recovery', match: { vmName: vm }, callback: { statusCode: 500, message: 'No host available' }, times: 1 });
      await recover(vm).expect(200);
      const callbacks = await context.receiver.waitForStage('VM_RECOVERY_COMPLETE');
      expect(callbacks.map(stageOf)).toEqual(['VM_RECOVERY_INIT', 'VM_RECOVERY_COMPLETE']);
      expect(callbacks.map((callback) => callback.headers['esc-status-code'])).toEqual(['200', '500']);
      expect(callbacks[1].headers['esc-status-message']).toBe('No host available');
      expect(await onlyVm()).toMatchObject({ vm_uuid: before.vm_uuid, vm_state_machine_state: 'VM_ERROR_STATE' });
    });

    it('with a respond fault rule: refused with its status', async () => {
      const [vm] = await steps.deployed();
      await steps.addFault({ operation: 'recovery', respond: { status: 503 } });
      expect((await recover(vm).expect(503)).text).toBe('Simulated recovery failure');
    });
  });

  describe('snapshot-vm', () => {
    it('reports VM_SNAPSHOT_COMPLETE with the snapshot name in event_details', async () => {
      const [vm] = await steps.deployed();
      const before = await onlyVm();
      const res = await snapshot(vm, snapshotXml('nightly-1')).expect(200);
      expect(parseXml(res.text).esc_request).toMatchObject({ operation: 'snapshot', vm_name: vm, snapshot_name: 'nightly-1' });
      const callbacks = await context.receiver.waitForStage('VM_SNAPSHOT_COMPLETE');
      expect(callbacks).toHaveLength(1);
      expect(callbacks[0].headers).toMatchObject({
        esc_transaction_id: res.headers['esc-transaction-id'],
        'esc-status-code': '200',
        'esc-status-message': `Successfully created snapshot [nightly-1] of VM [${vm}]`,
      });
      expect(parseXml(callbacks[0].body).esc_event).toMatchObject({ event_type: 'VM_SNAPSHOT_COMPLETE', event_details: 'nightly-1', vm_source: { vm_name: vm } });
      expect(await onlyVm()).toEqual(before);
    });

    it.each([
      ['no name', snapshotXml(), {}, /snapshot_vm_operation\/name is required/],
      ['another operation', operationXml('snapshot_vm_operation', 'stop', '<name>x</name>'), {}, /operation must be snapshot, got 'stop'/],
      ['no Callback header', snapshotXml('x'), { callback: null }, /Missing callback/],
    ])('answers 400 for %s', async (_, body, headers, message) => {
      const [vm] = await steps.deployed();
      expect((await snapshot(vm, body, headers).expect(400)).text).toMatch(message);
    });

    it('with a callback fault rule (operation snapshot): the event carries the failure', async () => {
      const [vm] = await steps.deployed();
      await steps.addFault({ operation: 'snapshot', callback: { statusCode: 507, message: 'Not enough storage' } });
      await snapshot(vm).expect(200);
      const [callback] = await context.receiver.waitForStage('VM_SNAPSHOT_COMPLETE');
      expect(callback.headers).toMatchObject({ 'esc-status-code': '507', 'esc-status-message': 'Not enough storage' });
    });
  });
});
