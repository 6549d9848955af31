/**
 * POST ServiceInstances/{id}/cleanup ({force}): deletes the instance's record (not what it made on
 * ESC). An instance in Error goes with force: false; an Active one only with force: true; one whose
 * action is still in progress is refused with CAM's 419 ResourceLockError unless forced. And one
 * action at a time: every mutating call while an action runs is a 409 naming it.
 */
import request from 'supertest';
import { HookServer, startHookServer } from './support/hook-server';
import { A, asaServiceWith, B, INSTANCES, Portal, portal, resthook, resthookAction } from './support/instance-lifecycle';
import { deployBody, jsonFixture } from './support/payloads';
import { ESC_CREDENTIALS, Stack, startStack, waitFor } from './support/stack';

describe('cleanup of an instance, and one action at a time', () => {
  let stack: Stack;
  let p: Portal;
  let hooks: HookServer;
  let manifestId: string;

  const cleanup = (id: string, body: unknown, auth = A) => p.call(id, 'cleanup', body, auth);
  const status = async (id: string) => (await p.http.get(`${INSTANCES}/${id}`).set('Authorization', A)).status;
  const deploy = async (name: string) => (await p.http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody(name, { image: 'ASAv-9.18' })).expect(200)).body.id as string;
  const onEsc = async (internalId: string) => (await request(stack.sim.url).get(`/v0/deployments/${internalId}`).auth(ESC_CREDENTIALS.username, ESC_CREDENTIALS.password)).status;

  beforeAll(async () => {
    stack = await startStack();
    p = portal(stack);
    // a call to /hang gets no answer: the custom action calling it stays in progress
    hooks = await startHookServer((hit) => (hit.url.startsWith('/hang') ? { status: 200, hang: true } : { status: 200, body: { ok: true } }));
    await p.addAsaTemplate();
    const doc = asaServiceWith(
      'ASA to clean up',
      [
        resthookAction('custom', 'slow_hook', { resthook: { ...resthook('slow', `${hooks.url}/hang`, 'GET').resthook, timeout: 300 } }),
        resthookAction('custom', 'quick_hook', resthook('quick', `${hooks.url}/quick`, 'GET')),
        resthookAction('bind', 'Bind', resthook('bindhook', `${hooks.url}/bind`)),
        resthookAction('unbind', 'Unbind', resthook('unbindhook', `${hooks.url}/unbind`)),
      ],
      { bindable: true },
    );
    manifestId = (await p.createService(doc)).manifestId;
  });
  afterAll(async () => {
    // the hanging call ends with the hook server
    await hooks?.close();
    await stack?.close();
  });

  it('deletes an instance in Error with force: false; it is then 404, and no longer listed', async () => {
    await p.fault({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, callback: { statusCode: 500, message: 'no capacity' }, times: 1 });
    const id = await deploy('failed-01');
    expect((await p.untilStatus(id, 'Error', 'Active')).Status).toBe('Error');
    // nothing runs on ESC for it: only the version's custom actions are offered, no ESC operation
    const offered = (await p.http.get(`${INSTANCES}/${id}/getCustomActions`).set('Authorization', A).expect(200)).body.customActions.map((a: { name: string }) => a.name);
    expect(offered).toEqual(['slow_hook', 'quick_hook']);
    const res = await cleanup(id, { force: false }).expect(200);
    expect(res.body).toMatchObject({ id, name: 'failed-01', Status: 'Error', deleted: true, force: false });
    expect(await status(id)).toBe(404);
    expect((await p.http.get(INSTANCES).set('Authorization', A).expect(200)).body.map((i: { id: string }) => i.id)).not.toContain(id);
    expect((await cleanup(id, { force: false })).status).toBe(404);
  });

  it('refuses an Active instance with force: false (409), the instance untouched; force: true deletes its record and leaves ESC alone', async () => {
    const active = await p.deployActive(manifestId, 'active-01', { image: 'ASAv-9.18' });
    const internalId = active.esc.deployments[0].internal_deployment_id;
    for (const body of [{ force: false }, {}]) {
      const refused = await cleanup(active.id, body);
      expect([refused.status, refused.body.error?.code]).toEqual([409, 'CONFLICT']);
    }
    expect((await p.instance(active.id)).Status).toBe('Active');
    const mark = (await p.simRequests()).length;
    const res = await cleanup(active.id, { serviceInstanceId: active.id, force: true }).expect(200);
    expect(res.body).toMatchObject({ id: active.id, Status: 'Active', deleted: true, force: true });
    expect(await status(active.id)).toBe(404);
    // the record goes, what ESC runs stays: terminate is what deletes on ESC
    expect(await p.simCallsSince(mark)).toEqual([]);
    expect(await onEsc(internalId)).toBe(200);
  });

  it('a terminated instance goes with force: false', async () => {
    const active = await p.deployActive(manifestId, 'terminated-01', { image: 'ASAv-9.18' });
    await p.call(active.id, 'terminate', {}).expect(200);
    expect((await p.untilStatus(active.id, 'Terminated', 'Error')).Status).toBe('Terminated');
    await cleanup(active.id, { force: false }).expect(200);
    expect(await status(active.id)).toBe(404);
  });

  it("refuses an instance whose action is in progress with CAM's 419 ResourceLockError; force: true deletes it", async () => {
    // ESC accepts the create and never calls back: the Provision stays In_Progress
    await p.fault({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, silent: true, times: 1 });
    const id = await deploy('stuck-01');
    await waitFor(p.simRequests, (rs) => rs.some((r) => r.method === 'POST' && r.path.startsWith('/ESCManager/v0/deployments/')), 'the create to reach ESC');
    const stuck = await waitFor(() => p.instance(id), (i) => i.actionInstanceDetails[0]?.action_status === 'In_Progress', 'the provision to be in progress');
    expect(stuck.Status).toBe('In_Progress');
    for (const body of [{ force: false }, {}]) {
      const locked = await cleanup(id, body);
      expect(locked.status).toBe(419);
      const seed = jsonFixture<{ error: Record<string, unknown> }>('cam/service_instance_cleanup_lock_error.response.json');
      expect(Object.keys(locked.body.error)).toEqual(expect.arrayContaining(Object.keys(seed.error)));
      expect(String(locked.body.error.statusCode)).toBe('419');
      expect(locked.body.error.message).toMatch(/^ResourceLockError: Failed to obtain lock for resource /);
    }
    expect((await p.instance(id)).Status).toBe('In_Progress');
    await cleanup(id, { force: true }).expect(200);
    expect(await status(id)).toBe(404);
  });

  it('refuses a bad body with a 400 naming the field, and deletes nothing', async () => {
    const active = await p.deployActive(manifestId, 'kept-01', { image: 'ASAv-9.18' });
    for (const [body, field] of [
      [{ force: 'yes' }, 'force'],
      [{ force: 1 }, 'force'],
      [{ serviceInstanceId: '00000000-0000-4000-8000-000000000000', force: true }, 'serviceInstanceId'],
    ] as const) {
      const res = await cleanup(active.id, body);
      expect({ body, status: res.status, message: res.body.error?.message }).toEqual({ body, status: 400, message: expect.stringMatching(new RegExp(`^${field}`)) });
    }
    expect(await status(active.id)).toBe(200);
  });

  it("is 404 for another tenant's instance, which stays", async () => {
    const active = await p.deployActive(manifestId, 'others-01', { image: 'ASAv-9.18' });
    expect((await cleanup(active.id, { force: true }, B)).status).toBe(404);
    expect((await p.instance(active.id)).Status).toBe('Active');
  });

  it('one action at a time, even when the calls come at once: one is accepted, the others are 409', async () => {
    const active = await p.deployActive(manifestId, 'raced-01', { image: 'ASAv-9.18' });
    const body = { customDetails: { currentCustomAction: 'quick_hook', instance_parameters: {} } };
    const answers = await Promise.all(Array.from({ length: 5 }, () => p.call(active.id, 'invokeCustomAction', body)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const accepted = answers.find((r) => r.status === 200)!.body;
    for (const refused of answers.filter((r) => r.status === 409)) expect(refused.body.error.message).toContain("running action 'quick_hook'");
    const { instance } = await p.untilEnded(accepted);
    expect(instance.Status).toBe('Active');
    expect(instance.actionInstanceDetails.map((a) => a.instance_action)).toEqual(['Provision', 'quick_hook']);
  });

  it('one action at a time: while an action runs every mutating call is a 409 naming it, and nothing else starts', async () => {
    const active = await p.deployActive(manifestId, 'busy-01', { image: 'ASAv-9.18' });
    const bound = await p.start(active.id, 'createBind', { bindDetails: { name: 'b1' } });
    expect((await p.untilEnded(bound)).instance.bind_array).toHaveProperty('b1');
    const running = await p.start(active.id, 'invokeCustomAction', { customDetails: { currentCustomAction: 'slow_hook', instance_parameters: {} } });
    await waitFor(async () => hooks.hits.filter((h) => h.url === '/hang').length, (n) => n === 1, 'the slow hook to be called');
    const before = await p.instance(active.id);
    expect(before.Status).toBe('In_Progress');
    const mark = (await p.simRequests()).length;
    const calls: Array<[string, unknown]> = [
      ['invokeCustomAction', { customDetails: { currentCustomAction: 'esc_stop', instance_parameters: {} } }],
      ['invokeCustomAction', { customDetails: { currentCustomAction: 'slow_hook', instance_parameters: {} } }],
      ['createBind', { bindDetails: { name: 'b2' } }],
      ['terminateBind', { name: 'b1' }],
      ['update', { update_details: { instance_parameters: { mgmt_ip: '10.70.0.9' } } }],
      ['terminate', {}],
    ];
    for (const [call, body] of calls) {
      const res = await p.call(active.id, call, body);
      expect({ call, status: res.status, message: res.body.error?.message }).toEqual({ call, status: 409, message: expect.stringContaining(`running action 'slow_hook'`) });
    }
    const after = await p.instance(active.id);
    expect(after.actionInstanceDetails.map((a) => a.actionInstanceId)).toEqual(before.actionInstanceDetails.map((a) => a.actionInstanceId));
    expect(after.actionInstanceDetails[after.actionInstanceDetails.length - 1]).toMatchObject({ actionInstanceId: running.action_instance_id, action_status: 'In_Progress' });
    expect(await p.simCallsSince(mark)).toEqual([]);
    expect(hooks.hits.filter((h) => h.url === '/hang')).toHaveLength(1);
    // and the running action holds the lock against a cleanup
    expect((await cleanup(active.id, { force: false })).status).toBe(419);
    await cleanup(active.id, { force: true }).expect(200);
  });
});
