/**
 * ESC events outside any action: ESC sees a VM go down, come back, get recovered, or the
 * deployment scale out and in, and posts it to the Callback-ESC-Events URL the gateway gave with
 * its requests. GET ServiceInstances/{id}/escEvents lists them; the instance's VMs and power_state
 * follow them; no action is started and the instance stays Active.
 */
import request from 'supertest';
import { A, B, InstanceView, INSTANCES, Portal, portal } from './support/instance-lifecycle';
import { escService } from './support/payloads';
import { Stack, startStack, waitFor } from './support/stack';

interface EscEvent {
  id: string;
  stage: string;
  vm_name: string | null;
  outcome: string;
  internal_id: string;
  status_code: number | null;
  received_time: string;
  applied_time: string | null;
  detail: string | null;
}

describe('ESC events outside any action', () => {
  let stack: Stack;
  let p: Portal;
  let active: InstanceView;
  let internalId: string;
  let firstVm: string;

  const events = async (id = active.id): Promise<EscEvent[]> => (await p.http.get(`${INSTANCES}/${id}/escEvents`).set('Authorization', A).expect(200)).body;
  /** ESC "sees" the event; answers what esc-sim says it sent. */
  const escSees = async (event: string, extra: Record<string, unknown> = {}) =>
    (await request(stack.sim.baseUrl).post(`/_sim/deployments/${internalId}/events`).send({ event, ...extra }).expect(202)).body as { sent: string[]; vm_name: string; url: string };
  /** Waits until the instance's event history holds `count` events, every one applied (or not) by the worker. */
  const untilEvents = (count: number) =>
    waitFor(events, (list) => list.length >= count && list.every((e) => e.outcome !== 'Received'), `${count} ESC events to be applied`);
  const vmOf = (i: InstanceView, name: string) => i.esc.deployments[0].vms.find((vm) => vm.name === name);

  beforeAll(async () => {
    stack = await startStack();
    p = portal(stack);
    await p.addAsaTemplate();
    const { manifestId } = await p.createService(escService('ASA watched by ESC'));
    active = await p.deployActive(manifestId, 'watched-01', { image: 'ASAv-9.18', mgmt_ip: '10.50.0.5' });
    internalId = active.esc.deployments[0].internal_deployment_id;
    firstVm = active.esc.deployments[0].vms[0].name;
  });
  afterAll(() => stack?.close());

  it('has no events before ESC sends any', async () => {
    expect(await events()).toEqual([]);
    expect(active.power_state).toBe('Running');
  });

  it("VM_DOWN goes to the Callback-ESC-Events URL the gateway gave, is listed as applied, and the instance's power_state is Degraded", async () => {
    const sent = await escSees('VM_DOWN');
    expect(sent).toMatchObject({ sent: ['VM_DOWN'], vm_name: firstVm });
    expect(sent.url).toMatch(new RegExp(`^${stack.gatewayUrl}/esc/callbacks/[A-Za-z0-9_-]{20,}/events$`));
    const [down] = await untilEvents(1);
    expect(down).toMatchObject({ stage: 'VM_DOWN', vm_name: firstVm, outcome: 'Applied', internal_id: internalId, status_code: 200, received_time: expect.any(String), applied_time: expect.any(String) });
    const after = await p.instance(active.id);
    expect(after.power_state).toBe('Degraded');
    expect(after.esc.deployments[0].power_state).toBe('Degraded');
    expect(vmOf(after, firstVm)!.state).toBe('VM_DOWN');
    // an event is no action: the instance stays Active with the history it had
    expect(after.Status).toBe('Active');
    expect(after.actionInstanceDetails).toHaveLength(active.actionInstanceDetails.length);
  });

  it('VM_ALIVE: Running again; the history lists the newest event first', async () => {
    await escSees('VM_ALIVE');
    const list = await untilEvents(2);
    expect(list.map((e) => [e.stage, e.vm_name, e.outcome])).toEqual([
      ['VM_ALIVE', firstVm, 'Applied'],
      ['VM_DOWN', firstVm, 'Applied'],
    ]);
    const after = await p.instance(active.id);
    expect(after.power_state).toBe('Running');
    expect(vmOf(after, firstVm)!.state).toBe('VM_ALIVE');
  });

  it('VM_RECOVERY: every stage of the recovery is listed; the VM is back with the new uuid ESC gave it', async () => {
    const before = vmOf(await p.instance(active.id), firstVm)!;
    const sent = await escSees('VM_RECOVERY');
    expect(sent.sent).toEqual(['VM_RECOVERY_INIT', 'VM_RECOVERY_UNDEPLOYED', 'VM_RECOVERY_DEPLOYED', 'VM_RECOVERY_COMPLETE']);
    const list = await untilEvents(6);
    expect(list.slice(0, 4).map((e) => [e.stage, e.vm_name, e.outcome])).toEqual([...sent.sent].reverse().map((stage) => [stage, firstVm, 'Applied']));
    const after = await p.instance(active.id);
    const vm = vmOf(after, firstVm)!;
    expect(vm.state).toBe('VM_RECOVERY_COMPLETE');
    expect(vm.uuid).not.toBe(before.uuid);
    expect(after.power_state).toBe('Running');
    expect(after.Status).toBe('Active');
  });

  it('SCALE_OUT adds the VM ESC deployed to esc.deployments[0].vms; SCALE_IN marks it undeployed, and it can no longer be picked', async () => {
    const out = await escSees('SCALE_OUT');
    expect(out.sent).toEqual(['VM_SCALE_OUT_DEPLOYED', 'VM_ALIVE']);
    const added = out.vm_name;
    const list = await untilEvents(8);
    expect(list.slice(0, 2).map((e) => [e.stage, e.vm_name, e.outcome])).toEqual([
      ['VM_ALIVE', added, 'Applied'],
      ['VM_SCALE_OUT_DEPLOYED', added, 'Applied'],
    ]);
    const scaled = await p.instance(active.id);
    expect(scaled.esc.deployments[0].vms.map((vm) => vm.name)).toEqual([firstVm, added]);
    expect(vmOf(scaled, added)).toMatchObject({ state: 'VM_ALIVE', group: 'ASA-1', uuid: expect.any(String) });
    expect(scaled.power_state).toBe('Running');
    const choices = async () =>
      (await p.http.get(`${INSTANCES}/${active.id}/getCustomActions`).set('Authorization', A).expect(200)).body.customActions
        .find((a: { name: string }) => a.name === 'esc_vm_stop')
        .input_parameters[0].options.map((o: { value: string }) => o.value);
    expect(await choices()).toEqual([firstVm, added]);

    const scaledIn = await escSees('SCALE_IN');
    expect(scaledIn).toMatchObject({ sent: ['VM_UNDEPLOYED'], vm_name: added });
    const [undeployed] = await untilEvents(9);
    expect(undeployed).toMatchObject({ stage: 'VM_UNDEPLOYED', vm_name: added, outcome: 'Applied' });
    const after = await p.instance(active.id);
    expect(vmOf(after, added)?.state ?? 'VM_UNDEPLOYED').toBe('VM_UNDEPLOYED');
    expect(vmOf(after, firstVm)!.state).toBe('VM_RECOVERY_COMPLETE');
    expect(after.power_state).toBe('Running');
    expect(await choices()).toEqual([firstVm]);
    const refused = await p.call(active.id, 'invokeCustomAction', { customDetails: { currentCustomAction: 'esc_vm_stop', instance_parameters: { vm_name: added } } });
    expect([refused.status, refused.body.error?.message]).toEqual([400, expect.stringContaining('customDetails.instance_parameters.vm_name')]);
    expect(after.Status).toBe('Active');
    expect(after.actionInstanceDetails).toHaveLength(active.actionInstanceDetails.length);
  });

  it('sent nothing to ESC: the audit still holds the create alone, its own callbacks those with its transaction id', async () => {
    const audit = (await p.http.get(`${INSTANCES}/${active.id}/escRequests`).set('Authorization', A).expect(200)).body;
    expect(audit.map((r: { operation: string; status: string }) => [r.operation, r.status])).toEqual([['CREATE_DEPLOYMENT', 'Succeeded']]);
    const own = audit[0].callbacks.filter((c: { esc_transaction_id: string | null }) => c.esc_transaction_id === audit[0].esc_transaction_id);
    expect(own.map((c: { stage: string }) => c.stage)).toEqual(['VM_DEPLOYED', 'VM_ALIVE', 'SERVICE_ALIVE']);
  });

  it("is 404 for another tenant's instance, an unknown one and a malformed id", async () => {
    const answers = [
      (await p.http.get(`${INSTANCES}/${active.id}/escEvents`).set('Authorization', B)).status,
      (await p.http.get(`${INSTANCES}/00000000-0000-4000-8000-000000000000/escEvents`).set('Authorization', A)).status,
      (await p.http.get(`${INSTANCES}/not-an-id/escEvents`).set('Authorization', A)).status,
    ];
    expect(answers).toEqual([404, 404, 404]);
  });
});
