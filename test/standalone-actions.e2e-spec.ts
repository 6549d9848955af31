import request from 'supertest';
import { asaTemplateContent, escService, jsonFixture } from './support/payloads';
import { Stack, startStack, TENANT_A, TENANT_B, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const B = `Bearer ${TENANT_B.token}`;
const API = '/cam/composer/api/v1';

describe('standalone actions (Actions/createAction, ActionInstances/invokeAction) through the flow engine and esc-sim', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  const post = (path: string, body: unknown, auth = A) => http.post(`${API}/${path}`).set('Authorization', auth).send(body as object);

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
  });
  afterAll(() => stack?.close());

  it("takes the seed's action and answers in the seed's shape, with the checker's warnings", async () => {
    const res = await post('Actions/createAction?cloudOE_spaceGuid=dev', jsonFixture('cam/action_create.request.json')).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(Object.keys(jsonFixture<object>('cam/action_create.response.json')).sort());
    expect(res.body.namespaceId).toBe('dev');
    expect(res.body.ServiceEngine_InputFile.service.actions[0].name).toBe('newAct44f');
    expect(res.body.warning).toEqual([expect.stringContaining("step 'template46b48313': template 'Template With Output Parameters ce0c21' is of type 'Terraform'; only 'ESC' templates can run on ESC")]);
    // not a catalog service
    expect(JSON.stringify((await http.get(`${API}/service`).set('Authorization', A)).body)).not.toContain('newAct44f');
    // and it cannot run: the same words, as a 400
    const invoked = await post('ActionInstances/invokeAction', { action_data: { action_id: res.body.id, name: 'tf run' } }).expect(400);
    expect(invoked.body.error.message).toContain("is of type 'Terraform'; only 'ESC' templates can run on ESC");
  });

  it('invokes an ESC action: its action instance runs on ESC and can be read back with its status and log', async () => {
    const action = { ...escService('unused').service.actions[0], name: 'redeploy-asa', type: 'custom' };
    const created = await post('Actions/createAction', action).expect(200);
    expect(created.body.warning).toEqual([expect.stringContaining("type 'custom' is stored as 'provision'")]);
    const res = await post('ActionInstances/invokeAction', { action_data: { action_id: created.body.id, name: 'inst2 ', resourceProperties: { specifications: [{ name: 'image', value: 'ASAv' }] } } }).expect(200);
    expect(Object.keys(res.body)).toEqual(Object.keys(jsonFixture<object>('cam/action_invoke.response.json')));
    const id = res.body.actionInstance.id;
    const done = await waitFor(async () => (await http.get(`${API}/ActionInstances/${id}`).set('Authorization', A)).body, (a) => ['Succeeded', 'Failed'].includes(a.Status), 'the action to end');
    expect(done).toMatchObject({ id, name: 'redeploy-asa', Status: 'Succeeded', serviceInstanceName: 'inst2', action_id: created.body.id });
    expect(done.log).toContain('completed');
    expect(done.finished).toEqual(expect.any(String));
    const sim = (await request(stack.sim.baseUrl).get('/_sim/requests')).body as Array<{ method: string; path: string }>;
    expect(sim.filter((r) => r.method === 'POST' && r.path.startsWith('/ESCManager/v0/deployments/'))).toHaveLength(1);
    await http.get(`${API}/ActionInstances/${id}`).set('Authorization', B).expect(404);
  });

  it.each([
    ['createAction without a name', 'Actions/createAction', { type: 'custom', flow: {} }, 'name: is required'],
    ['createAction with a malformed flow', 'Actions/createAction', { name: 'x', type: 'custom', flow: { templates: 'no' } }, 'flow.templates: must be an array'],
    ['invokeAction without action_data', 'ActionInstances/invokeAction', {}, 'action_data: is required'],
    ['invokeAction without a name', 'ActionInstances/invokeAction', { action_data: { action_id: 'x' } }, 'action_data.name: is required'],
    ['invokeAction of an unknown action', 'ActionInstances/invokeAction', { action_data: { action_id: '00000000-0000-4000-8000-000000000000', name: 'n' } }, "action '00000000-0000-4000-8000-000000000000' was not found"],
  ])('refuses %s, naming the field, writing nothing', async (_what, path, body, message) => {
    const counts = async () => (await stack.db.query('SELECT (SELECT count(*) FROM service) + (SELECT count(*) FROM service_instance) AS n')).rows[0].n;
    const before = await counts();
    const res = await post(path, body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.message).toContain(message);
    expect(await counts()).toBe(before);
  });

  it('refuses to invoke a catalog service version as if it were an action', async () => {
    const svc = (await post('Service/createService', escService('not an action')).expect(200)).body;
    await post('ActionInstances/invokeAction', { action_data: { action_id: svc.serviceManifestId, name: 'n' } }).expect(404);
  });
});
