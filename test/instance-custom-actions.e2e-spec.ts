/**
 * GET ServiceInstances/{id}/getCustomActions and POST …/{id}/invokeCustomAction: a custom action
 * of the version (a resthook flow) and the built-in ESC operations of an instance with an ESC
 * deployment (ESC reference 07 "Deployment Operations" and 08 "VM Operations"), as a portal uses them.
 */
import { childText, parseXml, rootElement, tagOf } from '../libs/esc/src/datamodel/xml-tree';
import { HookServer, startHookServer } from './support/hook-server';
import { A, asaServiceWith, B, InstanceView, INSTANCES, Portal, portal, resthook, resthookAction, tenantAsaServiceWith } from './support/instance-lifecycle';
import { jsonFixture } from './support/payloads';
import request from 'supertest';
import { Stack, startStack, waitFor } from './support/stack';

describe('custom actions and ESC operations of an instance', () => {
  let stack: Stack;
  let p: Portal;
  let hooks: HookServer;
  let active: InstanceView;
  let internalId: string;
  let escTenant: string;
  let vmName: string;

  const invoke = (currentCustomAction: string, instance_parameters: Record<string, unknown> = {}, name?: string) =>
    p.start(active.id, 'invokeCustomAction', { customDetails: { serviceInstanceId: active.id, currentCustomAction, instance_parameters, ...(name && { name }) } });
  /** Runs an action to its end; it must end well, and the instance be Active again. */
  const run = async (currentCustomAction: string, instance_parameters: Record<string, unknown> = {}) => {
    const started = await invoke(currentCustomAction, instance_parameters);
    expect(started).toMatchObject({ id: active.id, Status: 'In_Progress', action: currentCustomAction, action_instance_id: expect.any(String) });
    const done = await p.untilEnded(started);
    expect({ status: done.instance.Status, action: done.action.action_status, log: done.action.logs }).toEqual({ status: 'Active', action: 'Succeeded', log: done.action.action_status === 'Succeeded' ? done.action.logs : '(a log without failures)' });
    return done;
  };
  const operationRequests = async (mark: number) => (await p.simCallsSince(mark)).filter((r) => r.method === 'POST' && r.path.includes('/deployments/') && !r.path.startsWith(`/ESCManager/v0/deployments/`));

  beforeAll(async () => {
    stack = await startStack();
    p = portal(stack);
    hooks = await startHookServer(() => ({ status: 200, body: { done: true } }));
    await p.addAsaTemplate();
    await p.addVnfTemplates();
    const notify = resthookAction('custom', 'notify_ops', resthook('notifyhook', `${hooks.url}\${input_parameters.hook_path}`, 'POST', { vnf: '${svc_instance.name}', note: '${input_parameters.note}', token: '${input_parameters.token}' }), [
      { name: 'hook_path', label: 'Path', type: 'string', required: false, secured: false, default: '/ops/default' },
      { name: 'note', label: 'Note', type: 'string', required: false, secured: false, default: 'none' },
      { name: 'token', label: 'Ops token', type: 'password', required: false, secured: true, default: 'tok-DEFAULT-SECRET' },
    ]);
    // the deployment lives in a tenant the flow makes: its internal_tenant_id is the gateway's own
    const { manifestId } = await p.createService(tenantAsaServiceWith('ASA with custom actions', [notify]));
    active = await p.deployActive(manifestId, 'custom-01', { image: 'ASAv-9.18', mgmt_ip: '10.40.0.5' });
    internalId = active.esc.deployments[0].internal_deployment_id;
    escTenant = active.esc.deployments[0].esc_tenant;
    expect(escTenant).toBe(active.esc.resources.find((r) => r.step_id === 'tenant1')!.internal_id);
    vmName = active.esc.deployments[0].vms[0].name;
  });
  afterAll(async () => {
    await hooks?.close();
    await stack?.close();
  });

  it("lists the version's custom action as CAM does, then the built-in ESC operations with the instance's VMs to choose from", async () => {
    const res = await p.http.get(`${INSTANCES}/${active.id}/getCustomActions`).set('Authorization', A).expect(200);
    const seed = jsonFixture<{ customActions: Array<Record<string, unknown>> }>('cam/service_instance_custom_actions.response.json').customActions[0];
    const [custom, ...builtIn] = res.body.customActions;
    expect(Object.keys(custom)).toEqual(expect.arrayContaining(Object.keys(seed)));
    expect(custom).toMatchObject({ type: 'custom', name: 'notify_ops', pre_or_post: false, input_parameters: [expect.objectContaining({ name: 'hook_path' }), expect.objectContaining({ name: 'note' }), expect.objectContaining({ name: 'token', secured: true })] });
    expect(custom.flow.sequence).toEqual({ '0': 'notifyhook' });
    const names = builtIn.map((a: { name: string }) => a.name);
    expect(names).toEqual(expect.arrayContaining(['esc_stop', 'esc_start', 'esc_reboot', 'esc_vm_stop', 'esc_vm_start', 'esc_vm_reboot', 'esc_vm_recovery', 'esc_vm_snapshot']));
    expect(builtIn.every((a: { type: string }) => a.type === 'custom')).toBe(true);
    const vmStop = builtIn.find((a: { name: string }) => a.name === 'esc_vm_stop');
    expect(vmStop.input_parameters).toEqual([expect.objectContaining({ name: 'vm_name', required: true, options: [{ value: vmName, label: vmName }] })]);
    const snapshot = builtIn.find((a: { name: string }) => a.name === 'esc_vm_snapshot');
    expect(snapshot.input_parameters.map((i: { name: string }) => i.name)).toEqual(['vm_name', 'snapshot_name']);
    expect(builtIn.find((a: { name: string }) => a.name === 'esc_stop').input_parameters).toEqual([]);
    // a secured parameter's default is a secret: masked, as the catalog masks it in the service's document
    expect(custom.input_parameters[2].default).toBe('*******');
    expect(JSON.stringify(res.body)).not.toContain('tok-DEFAULT-SECRET');
  });

  it('runs the custom action: its resthook is called with the given values, and the instance is Active again with the run in its history', async () => {
    const mark = (await p.simRequests()).length;
    const started = await invoke('notify_ops', { hook_path: '/ops/run-1', note: 'maintenance', token: 'tok-RUN-SECRET' }, 'run-1');
    const { instance, action } = await p.untilEnded(started);
    expect(instance.Status).toBe('Active');
    expect(action).toMatchObject({ instance_action: 'notify_ops', type: 'custom', Status: 'Active', action_status: 'Succeeded', input_parameters: { hook_path: '/ops/run-1', note: 'maintenance', token: '*******' } });
    const hit = hooks.hits.find((h) => h.url === '/ops/run-1');
    expect(hit).toBeDefined();
    expect(hit!.method).toBe('POST');
    expect(JSON.parse(hit!.body)).toEqual({ vnf: 'custom-01', note: 'maintenance', token: 'tok-RUN-SECRET' });
    expect(JSON.stringify(instance)).not.toContain('tok-RUN-SECRET');
    // the provision's deployment is left as it was: nothing went to ESC
    expect(await p.simCallsSince(mark)).toEqual([]);
    expect(instance.esc.deployments[0]).toMatchObject({ internal_deployment_id: internalId, status: 'Active' });
    expect(instance.serviceManifestId).toBe(active.serviceManifestId);

    // without values the action's defaults are used
    await run('notify_ops');
    expect(hooks.hits.filter((h) => h.url === '/ops/default')).toHaveLength(1);
    expect(JSON.parse(hooks.hits.find((h) => h.url === '/ops/default')!.body)).toEqual({ vnf: 'custom-01', note: 'none', token: 'tok-DEFAULT-SECRET' });
  });

  it('esc_stop stops the whole deployment (service_operation on ESC, VM_STOPPED and SERVICE_STOPPED back): power_state Stopped; esc_start runs it again', async () => {
    const mark = (await p.simRequests()).length;
    const { instance } = await run('esc_stop');
    const [sent] = await operationRequests(mark);
    expect(sent.path).toBe(`/ESCManager/v0/${escTenant}/deployments/service/${internalId}`);
    expect(sent.headers['content-type']).toMatch(/^application\/xml/);
    expect(sent.headers['callback']).toMatch(/\/esc\/callbacks\//);
    expect(sent.headers['callback-esc-events']).toBe(`${sent.headers['callback']}/events`);
    const body = rootElement(parseXml(sent.body!))!;
    expect(tagOf(body)).toBe('service_operation');
    expect(childText(body, 'operation')).toBe('stop');
    expect(await operationRequests(mark)).toHaveLength(1);
    expect(instance.power_state).toBe('Stopped');
    expect(instance.esc.deployments[0].power_state).toBe('Stopped');
    expect(instance.esc.deployments[0].vms.map((vm) => vm.state)).toEqual(['VM_STOPPED']);
    const audit = (await p.http.get(`${INSTANCES}/${active.id}/escRequests`).set('Authorization', A).expect(200)).body;
    const stop = audit.find((r: { path: string }) => r.path.endsWith(`/deployments/service/${internalId}`));
    expect(stop).toMatchObject({ action: { name: 'esc_stop', type: 'custom' }, status: 'Succeeded', method: 'POST' });
    expect(stop.callbacks.map((c: { stage: string }) => c.stage)).toEqual(['VM_STOPPED', 'SERVICE_STOPPED']);
    expect(stop.callbacks.every((c: { outcome: string }) => c.outcome === 'Applied')).toBe(true);

    const again = (await p.simRequests()).length;
    const started = await run('esc_start');
    const [start] = await operationRequests(again);
    expect(start.path).toBe(`/ESCManager/v0/${escTenant}/deployments/service/${internalId}`);
    expect(childText(rootElement(parseXml(start.body!))!, 'operation')).toBe('start');
    expect(started.instance.power_state).toBe('Running');
    expect(started.instance.esc.deployments[0].vms.map((vm) => vm.state)).not.toContain('VM_STOPPED');
  });

  it('esc_vm_stop and esc_vm_reboot act on the VM named by instance_parameters.vm_name (vm_operation on ESC)', async () => {
    const mark = (await p.simRequests()).length;
    const stopped = await run('esc_vm_stop', { vm_name: vmName });
    const [sent] = await operationRequests(mark);
    expect(sent.path).toBe(`/ESCManager/v0/${escTenant}/deployments/vm/${encodeURIComponent(vmName)}`);
    const body = rootElement(parseXml(sent.body!))!;
    expect(tagOf(body)).toBe('vm_operation');
    expect(childText(body, 'operation')).toBe('stop');
    expect(stopped.action.esc_operation).toMatchObject({ operation: 'esc_vm_stop', vmName });
    expect(stopped.instance.power_state).toBe('Stopped');
    expect(stopped.instance.esc.deployments[0].vms[0].state).toBe('VM_STOP_COMPLETE');

    await run('esc_vm_start', { vm_name: vmName });
    const rebootMark = (await p.simRequests()).length;
    const rebooted = await run('esc_vm_reboot', { vm_name: vmName });
    const [reboot] = await operationRequests(rebootMark);
    expect(reboot.path).toBe(`/ESCManager/v0/${escTenant}/deployments/vm/${encodeURIComponent(vmName)}`);
    expect(childText(rootElement(parseXml(reboot.body!))!, 'operation')).toBe('reboot');
    expect(rebooted.instance.power_state).toBe('Running');
    expect(rebooted.instance.esc.deployments[0].vms[0].state).toBe('VM_REBOOT_COMPLETE');
  });

  it('esc_vm_recovery recovers a VM that is down (recovery-vm on ESC; the VM comes back with a new uuid) and esc_vm_snapshot snapshots it under the given name', async () => {
    // ESC recovers a VM that is down (it checks the VM first): ESC sees it go down
    await request(stack.sim.baseUrl).post(`/_sim/deployments/${internalId}/events`).send({ event: 'VM_DOWN' }).expect(202);
    const before = (await waitFor(() => p.instance(active.id), (i) => i.power_state === 'Degraded', 'the VM to be down')).esc.deployments[0].vms[0];
    expect(before.state).toBe('VM_DOWN');
    const mark = (await p.simRequests()).length;
    const recovered = await run('esc_vm_recovery', { vm_name: vmName });
    const [sent] = await operationRequests(mark);
    expect(sent.path).toBe(`/ESCManager/v0/${escTenant}/deployments/recovery-vm/${encodeURIComponent(vmName)}`);
    expect(childText(rootElement(parseXml(sent.body!))!, 'operation')).toBe('recovery_do');
    const vm = recovered.instance.esc.deployments[0].vms[0];
    expect(vm).toMatchObject({ name: vmName, state: 'VM_RECOVERY_COMPLETE' });
    expect(vm.uuid).not.toBe(before.uuid);
    expect(recovered.instance.power_state).toBe('Running');

    const snapMark = (await p.simRequests()).length;
    const snapped = await run('esc_vm_snapshot', { vm_name: vmName, snapshot_name: 'nightly-2024' });
    const [snap] = await operationRequests(snapMark);
    expect(snap.path).toBe(`/ESCManager/v0/${escTenant}/deployments/snapshot-vm/${encodeURIComponent(vmName)}`);
    const snapBody = rootElement(parseXml(snap.body!))!;
    expect([childText(snapBody, 'operation'), childText(snapBody, 'name')]).toEqual(['snapshot', 'nightly-2024']);
    expect(snapped.action.esc_operation).toMatchObject({ operation: 'esc_vm_snapshot', vmName, snapshotName: 'nightly-2024' });
    expect(snapped.instance.power_state).toBe('Running');
  });

  it('an ESC operation that ESC fails is recorded as failed with ESC’s words; the instance stays Active, its VMs as they were', async () => {
    await p.fault({ operation: 'service_operation', match: { internalId }, callback: { statusCode: 500, message: 'hypervisor busy' }, times: 1 });
    const started = await invoke('esc_reboot');
    const { instance, action } = await p.untilEnded(started);
    expect(action).toMatchObject({ instance_action: 'esc_reboot', action_status: 'Failed', Status: 'Error' });
    expect(action.logs).toContain('hypervisor busy');
    expect(instance.Status).toBe('Active');
    expect(instance.power_state).toBe('Running');
    // and the next operation is taken
    expect((await run('esc_reboot')).instance.power_state).toBe('Running');
  });

  it('esc_stop stops every deployment of the instance, the last step first; esc_start starts them in step order', async () => {
    const { manifestId } = await p.createService(tenantAsaServiceWith('ASA pair', [], { deployments: 2 }));
    const pair = await p.deployActive(manifestId, 'pair-01', { image: 'ASAv-9.18', mgmt_ip: '10.41.0.1' });
    const ids = Object.fromEntries(pair.esc.deployments.map((d) => [d.step_id, d.internal_deployment_id]));
    const tenant = pair.esc.deployments[0].esc_tenant;
    const order = async (operation: string) => {
      const mark = (await p.simRequests()).length;
      const started = await p.start(pair.id, 'invokeCustomAction', { customDetails: { currentCustomAction: operation, instance_parameters: {} } });
      const done = await p.untilEnded(started);
      expect(done.instance.Status).toBe('Active');
      const sent = (await p.simCallsSince(mark)).filter((r) => r.method === 'POST');
      return { instance: done.instance, paths: sent.map((r) => r.path) };
    };
    const stopped = await order('esc_stop');
    expect(stopped.paths).toEqual([`/ESCManager/v0/${tenant}/deployments/service/${ids.dep2}`, `/ESCManager/v0/${tenant}/deployments/service/${ids.dep1}`]);
    expect(stopped.instance.power_state).toBe('Stopped');
    expect(stopped.instance.esc.deployments.map((d) => d.power_state)).toEqual(['Stopped', 'Stopped']);
    const started = await order('esc_start');
    expect(started.paths).toEqual([`/ESCManager/v0/${tenant}/deployments/service/${ids.dep1}`, `/ESCManager/v0/${tenant}/deployments/service/${ids.dep2}`]);
    expect(started.instance.power_state).toBe('Running');
  });

  it("esc_stop also stops a deployment in ESC's admin tenant, which ESC names SystemAdminTenantId in its callbacks", async () => {
    // escService's datamodel names tenant 'admin'; ESC reports it as internal_tenant_id SystemAdminTenantId
    const { manifestId } = await p.createService(asaServiceWith('ASA in the admin tenant', []));
    const admin = await p.deployActive(manifestId, 'admin-tenant-01', { image: 'ASAv-9.18' });
    const id = admin.esc.deployments[0].internal_deployment_id;
    const mark = (await p.simRequests()).length;
    const started = await p.start(admin.id, 'invokeCustomAction', { customDetails: { currentCustomAction: 'esc_stop', instance_parameters: {} } });
    const { instance, action } = await p.untilEnded(started);
    expect({ status: instance.Status, logs: action.logs }).toEqual({ status: 'Active', logs: expect.not.stringContaining('HTTP 404') });
    expect(instance.power_state).toBe('Stopped');
    const sent = (await p.simCallsSince(mark)).filter((r) => r.method === 'POST');
    expect(sent.map((r) => r.path)).toEqual([`/ESCManager/v0/SystemAdminTenantId/deployments/service/${id}`]);
  });

  it('refuses bad invocations with a 400 naming the field, and starts nothing', async () => {
    const before = (await p.instance(active.id)).actionInstanceDetails.length;
    const mark = (await p.simRequests()).length;
    const cases: Array<[unknown, string]> = [
      [{ customDetails: { currentCustomAction: 'esc_explode' } }, 'customDetails.currentCustomAction'],
      [{ customDetails: { currentCustomAction: 'esc_vm_stop', instance_parameters: {} } }, 'customDetails.instance_parameters.vm_name'],
      [{ customDetails: { currentCustomAction: 'esc_vm_stop', instance_parameters: { vm_name: 'not-a-vm-of-this-instance' } } }, 'customDetails.instance_parameters.vm_name'],
      [{ customDetails: { currentCustomAction: 'esc_vm_snapshot', instance_parameters: { vm_name: vmName } } }, 'customDetails.instance_parameters.snapshot_name'],
      [{ customDetails: { currentCustomAction: 'notify_ops', instance_parameters: { colour: 'red' } } }, 'customDetails.instance_parameters.colour'],
      [{ customDetails: { instance_parameters: {} } }, 'customDetails.currentCustomAction'],
      [{}, 'customDetails'],
      [{ customDetails: 'esc_stop' }, 'customDetails'],
    ];
    for (const [body, field] of cases) {
      const res = await p.call(active.id, 'invokeCustomAction', body);
      expect({ body, status: res.status, code: res.body.error?.code, message: res.body.error?.message }).toEqual({ body, status: 400, code: 'INVALID_INPUT', message: expect.stringContaining(field) });
    }
    const after = await p.instance(active.id);
    expect(after.Status).toBe('Active');
    expect(after.actionInstanceDetails).toHaveLength(before);
    expect(await p.simCallsSince(mark)).toEqual([]);
  });

  it("is 404 for another tenant's instance, and an unknown one", async () => {
    const body = { customDetails: { currentCustomAction: 'esc_stop', instance_parameters: {} } };
    const unknown = '00000000-0000-4000-8000-000000000000';
    const answers = [
      (await p.http.get(`${INSTANCES}/${active.id}/getCustomActions`).set('Authorization', B)).status,
      (await p.call(active.id, 'invokeCustomAction', body, B)).status,
      (await p.http.get(`${INSTANCES}/${unknown}/getCustomActions`).set('Authorization', A)).status,
      (await p.call(unknown, 'invokeCustomAction', body)).status,
    ];
    expect(answers).toEqual([404, 404, 404, 404]);
    expect((await p.instance(active.id)).power_state).toBe('Running');
  });
});
