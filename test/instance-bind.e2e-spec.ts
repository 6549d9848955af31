/**
 * POST ServiceInstances/{id}/createBind ({bindDetails: {instance_parameters}}) and POST
 * …/{id}/terminateBind ({name}) on a service whose catalog_metadata.bindable is true and whose
 * version has a bind and an unbind action (resthook flows here): bind_array of the instance shows
 * the binds that are live.
 */
import { HookServer, startHookServer } from './support/hook-server';
import { A, asaServiceWith, B, InstanceView, INSTANCES, Portal, portal, resthook, resthookAction } from './support/instance-lifecycle';
import { Stack, startStack } from './support/stack';

describe('binds of an instance', () => {
  let stack: Stack;
  let p: Portal;
  let hooks: HookServer;
  let active: InstanceView;
  let bindable: (name: string, actions?: string[]) => ReturnType<typeof asaServiceWith>;

  const consumer = [{ name: 'consumer', label: 'Consumer', type: 'string', required: false, secured: false, default: 'default-app' }];
  const bind = (body: unknown, id = active.id) => p.call(id, 'createBind', body);
  const unbind = (name: unknown, id = active.id) => p.call(id, 'terminateBind', { name });

  beforeAll(async () => {
    stack = await startStack();
    p = portal(stack);
    hooks = await startHookServer(() => ({ status: 200, body: { credentials: 'issued' } }));
    await p.addAsaTemplate();
    const actions = {
      bind: resthookAction('bind', 'Bind', resthook('bindhook', `${hooks.url}/binds/\${input_parameters.consumer}`, 'POST', { instance: '${svc_instance.name}', image: '${input_parameters.image}' }), [
        ...consumer,
        { name: 'image', type: 'string', required: false, secured: false, default: '' },
      ]),
      unbind: resthookAction('unbind', 'Unbind', resthook('unbindhook', `${hooks.url}/binds/\${input_parameters.consumer}`, 'DELETE'), consumer),
    };
    bindable = (name, kinds = ['bind', 'unbind']) => asaServiceWith(name, kinds.map((k) => actions[k as keyof typeof actions]), { bindable: true });
    const { manifestId } = await p.createService(bindable('Bindable ASA'));
    active = await p.deployActive(manifestId, 'bindable-01', { image: 'ASAv-9.18' });
    expect(active.bindable).toBe(true);
    expect(active.bind_array).toEqual({});
  });
  afterAll(async () => {
    await hooks?.close();
    await stack?.close();
  });

  it("createBind runs the version's bind action with the given values (the instance's own where it has them): the bind shows in bind_array", async () => {
    const res = await bind({ bindDetails: { instance_parameters: { consumer: 'billing' } } }).expect(200);
    expect(res.body).toMatchObject({ id: active.id, Status: 'In_Progress', action: 'Bind', bind_name: expect.any(String), action_instance_id: expect.any(String) });
    const name = res.body.bind_name;
    const { instance, action } = await p.untilEnded(res.body);
    expect({ status: instance.Status, action: action.action_status }).toEqual({ status: 'Active', action: 'Succeeded' });
    expect(action).toMatchObject({ type: 'bind', instance_action: 'Bind', bind_name: name, input_parameters: { consumer: 'billing', image: 'ASAv-9.18' } });
    const hit = hooks.hits.find((h) => h.url === '/binds/billing');
    expect(hit?.method).toBe('POST');
    expect(JSON.parse(hit!.body)).toEqual({ instance: 'bindable-01', image: 'ASAv-9.18' });
    expect(instance.bind_array).toEqual({ [name]: expect.objectContaining({ name, status: 'Succeeded', actionInstanceId: res.body.action_instance_id }) });
    // a bind is no change to the instance's own ESC deployment
    expect(instance.esc.deployments[0]).toMatchObject({ internal_deployment_id: active.esc.deployments[0].internal_deployment_id, status: 'Active' });
  });

  it('a second bind, named by bindDetails.name and with the defaults, is listed next to the first', async () => {
    const started = await p.start(active.id, 'createBind', { bindDetails: { name: 'reporting' } });
    expect(started.bind_name).toBe('reporting');
    const { instance } = await p.untilEnded(started);
    expect(instance.Status).toBe('Active');
    expect(hooks.hits.filter((h) => h.url === '/binds/default-app' && h.method === 'POST')).toHaveLength(1);
    expect(Object.keys(instance.bind_array).sort()).toEqual([expect.stringMatching(/^bindable-01-bind-/), 'reporting'].sort());
    // the name is taken
    const again = await bind({ bindDetails: { name: 'reporting' } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain("'reporting'");
  });

  it("terminateBind runs the unbind action with the bind's values; the bind leaves bind_array, the other stays", async () => {
    const before = await p.instance(active.id);
    const first = Object.keys(before.bind_array).find((n) => n !== 'reporting')!;
    const res = await unbind(first).expect(200);
    expect(res.body).toMatchObject({ Status: 'In_Progress', action: 'Unbind', bind_name: first });
    const { instance, action } = await p.untilEnded(res.body);
    expect({ status: instance.Status, action: action.action_status }).toEqual({ status: 'Active', action: 'Succeeded' });
    expect(action).toMatchObject({ type: 'unbind', bind_name: first, input_parameters: { consumer: 'billing' } });
    expect(hooks.hits.filter((h) => h.url === '/binds/billing').map((h) => h.method)).toEqual(['POST', 'DELETE']);
    expect(Object.keys(instance.bind_array)).toEqual(['reporting']);

    // it is gone: unbinding it again, or a name the instance never had, is a 400 naming `name`
    for (const name of [first, 'no-such-bind']) {
      const refused = await unbind(name);
      expect([refused.status, refused.body.error?.message]).toEqual([400, expect.stringMatching(/^name: /)]);
    }
    expect((await unbind(undefined)).status).toBe(400);
    expect((await p.instance(active.id)).actionInstanceDetails).toHaveLength(instance.actionInstanceDetails.length);
  });

  it('refuses a service that is not bindable, and a version without a bind (or unbind) action, with a 400', async () => {
    const notBindable = asaServiceWith('Not bindable ASA', bindable('x').service.actions.slice(1), { bindable: false });
    const plain = await p.deployActive((await p.createService(notBindable)).manifestId, 'plain-01', { image: 'ASAv-9.18' });
    const noBind = await p.deployActive((await p.createService(bindable('Bindable without bind', ['unbind']))).manifestId, 'no-bind-01', { image: 'ASAv-9.18' });
    const noUnbind = await p.deployActive((await p.createService(bindable('Bindable without unbind', ['bind']))).manifestId, 'no-unbind-01', { image: 'ASAv-9.18' });
    const answers = [
      ['not bindable: createBind', await bind({ bindDetails: {} }, plain.id), /bindable/],
      ['not bindable: terminateBind', await unbind('any', plain.id), /bindable/],
      ['no bind action', await bind({ bindDetails: {} }, noBind.id), /bind/],
    ] as const;
    for (const [what, res, message] of answers) expect({ what, status: res.status, message: res.body.error?.message }).toEqual({ what, status: 400, message: expect.stringMatching(message) });
    // the bind works, the unbind has no action to run
    const bound = await p.start(noUnbind.id, 'createBind', { bindDetails: { name: 'only-bind' } });
    expect((await p.untilEnded(bound)).instance.Status).toBe('Active');
    const refused = await unbind('only-bind', noUnbind.id);
    expect([refused.status, refused.body.error?.message]).toEqual([400, expect.stringContaining('unbind')]);
    for (const i of [plain, noBind]) expect((await p.instance(i.id)).actionInstanceDetails).toHaveLength(1);
  });

  it('refuses bad bodies with a 400 naming the field', async () => {
    for (const [body, field] of [
      [{ bindDetails: { instance_parameters: 'consumer=x' } }, 'bindDetails.instance_parameters'],
      [{ bindDetails: { instance_parameters: { colour: 'red' } } }, 'bindDetails.instance_parameters.colour'],
      [{ bindDetails: { name: '' } }, 'bindDetails.name'],
      [{ bindDetails: [] }, 'bindDetails'],
    ] as const) {
      const res = await bind(body);
      expect({ body, status: res.status, message: res.body.error?.message }).toEqual({ body, status: 400, message: expect.stringContaining(field) });
    }
  });

  it("is 404 for another tenant's instance", async () => {
    const answers = [(await p.call(active.id, 'createBind', { bindDetails: {} }, B)).status, (await p.call(active.id, 'terminateBind', { name: 'reporting' }, B)).status];
    expect(answers).toEqual([404, 404]);
    expect(Object.keys((await p.http.get(`${INSTANCES}/${active.id}`).set('Authorization', A).expect(200)).body.bind_array)).toEqual(['reporting']);
  });
});
