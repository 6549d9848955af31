import request from 'supertest';
import { RunningEscSim, startEscSim } from '../esc-sim';
import { CallbackReceiver, stageOf } from '../testing/callback-receiver';
import { escFixture, parseXml } from '../testing/fixtures';

const CREATE_XML = escFixture('deployment_create.request.xml');
const DEPLOYMENTS = '/ESCManager/v0/deployments';

describe('fault injection (/_sim/faults)', () => {
  let sim: RunningEscSim;
  let receiver: CallbackReceiver;

  beforeAll(async () => {
    receiver = await CallbackReceiver.start();
    sim = await startEscSim({ callbackDelayMs: 2 });
  });

  afterEach(async () => {
    await request(sim.baseUrl).post('/_sim/reset').expect(204);
    receiver.clear();
  });

  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  const addFault = (rule: object) => request(sim.baseUrl).post('/_sim/faults').send(rule);

  const create = (id: string, body = CREATE_XML) =>
    request(sim.baseUrl)
      .post(`${DEPLOYMENTS}/${id}`)
      .set('Content-Type', 'application/xml')
      .set('Callback', receiver.url)
      .send(body);

  const remove = (id: string) => request(sim.baseUrl).delete(`${DEPLOYMENTS}/${id}`).set('Callback', receiver.url);

  const state = async (id: string) =>
    parseXml((await request(sim.baseUrl).get(`${DEPLOYMENTS}/${id}`).expect(200)).text).deployment.service_state_machine_state;

  it('makes the synchronous answer fail with the given status and body, creating nothing', async () => {
    await addFault({ operation: 'create', match: { internalId: 'my_dep_id' }, respond: { status: 500, body: 'VIM exploded' }, times: 1 }).expect(201);

    const res = await create('my_dep_id').expect(500);
    expect(res.text).toBe('VIM exploded');
    expect(res.headers['esc-transaction-id']).toBeUndefined();
    await request(sim.baseUrl).get(`${DEPLOYMENTS}/my_dep_id`).expect(404);

    // times: 1 is used up, and the failed attempt did not burn the id.
    await create('my_dep_id').expect(200);
    await receiver.waitForStage('SERVICE_ALIVE');
    expect((await request(sim.baseUrl).get('/_sim/faults').expect(200)).body[0]).toMatchObject({ hits: 1, times: 1 });
  });

  it('makes the final SERVICE_ALIVE carry the failure and leaves the deployment in error', async () => {
    await addFault({ operation: 'create', match: { deploymentName: 'Demo' }, callback: { statusCode: 500, message: 'Failed to create VM' } }).expect(201);

    const res = await create('my_dep_id').expect(200);
    const callbacks = await receiver.waitForStage('SERVICE_ALIVE');
    expect(callbacks.map(stageOf)).toEqual(['VM_DEPLOYED', 'SERVICE_ALIVE']);
    const failed = callbacks[1];
    expect(failed.headers['esc_transaction_id']).toBe(res.headers['esc-transaction-id']);
    expect(failed.headers['esc-status-code']).toBe('500');
    expect(failed.headers['esc-status-message']).toBe('Failed to create VM');
    expect(parseXml(failed.body).deployment.service_state_machine_state).toBe('SERVICE_ERROR_STATE');
    expect(await state('my_dep_id')).toBe('SERVICE_ERROR_STATE');

    // A deployment in error can still be deleted.
    await remove('my_dep_id').expect(200);
    await receiver.waitForStage('SERVICE_UNDEPLOYED');
  });

  it('fails an undeploy with SERVICE_UNDEPLOYED and keeps the deployment so it can be deleted again', async () => {
    await create('my_dep_id').expect(200);
    await receiver.waitForStage('SERVICE_ALIVE');
    await addFault({ operation: 'delete', match: { internalId: 'my_dep_id' }, callback: { statusCode: 503, message: 'VIM unreachable' }, times: 1 }).expect(201);
    receiver.clear();

    await remove('my_dep_id').expect(200);
    const callbacks = await receiver.waitForStage('SERVICE_UNDEPLOYED');
    expect(callbacks.map(stageOf)).toEqual(['SERVICE_UNDEPLOYED']);
    expect(callbacks[0].headers['esc-status-code']).toBe('503');
    expect(await state('my_dep_id')).toBe('SERVICE_ERROR_STATE');

    await remove('my_dep_id').expect(200);
    const retried = await receiver.waitForStage('SERVICE_UNDEPLOYED', 2);
    expect(retried.slice(1).map(stageOf)).toEqual(['VM_UNDEPLOYED', 'SERVICE_UNDEPLOYED']);
    await request(sim.baseUrl).get(`${DEPLOYMENTS}/my_dep_id`).expect(404);
  });

  it('fails an update with SERVICE_UPDATED, leaving the VMs as they were', async () => {
    await create('my_dep_id').expect(200);
    await receiver.waitForStage('SERVICE_ALIVE');
    await addFault({ operation: 'update', callback: { statusCode: 500, message: 'Update failed' } }).expect(201);
    receiver.clear();

    await request(sim.baseUrl)
      .put(`${DEPLOYMENTS}/my_dep_id`)
      .set('Content-Type', 'application/xml')
      .set('Callback', receiver.url)
      .send(escFixture('deployment_update_add_group.request.xml'))
      .expect(200);
    const callbacks = await receiver.waitForStage('SERVICE_UPDATED');
    expect(callbacks.map(stageOf)).toEqual(['SERVICE_UPDATED']);
    expect(callbacks[0].headers['esc-status-code']).toBe('500');
    const got = parseXml((await request(sim.baseUrl).get(`${DEPLOYMENTS}/my_dep_id`).expect(200)).text).deployment;
    expect(got.deployment_details.vm_group_name).toBe('ASA-1');
  });

  it('matches deploymentName as a substring and only for its operation', async () => {
    await addFault({ operation: 'create', match: { deploymentName: 'Other' }, respond: { status: 503 } }).expect(201);
    await addFault({ operation: 'delete', respond: { status: 500 } }).expect(201);

    await create('mine').expect(200);
    const res = await create('other', CREATE_XML.replace('MyDemoDepName', 'AnOtherDeployment')).expect(503);
    expect(res.text).toBe('Simulated create failure');
    await remove('mine').expect(500);
  });

  it('lists, deletes and clears rules', async () => {
    const rule = (await addFault({ operation: 'create', respond: { status: 500 } }).expect(201)).body;
    expect(rule).toMatchObject({ operation: 'create', match: {}, respond: { status: 500 }, hits: 0 });
    expect(rule.id).toEqual(expect.any(String));
    await addFault({ operation: 'delete', respond: { status: 500 } }).expect(201);

    await request(sim.baseUrl).delete(`/_sim/faults/${rule.id}`).expect(204);
    expect((await request(sim.baseUrl).get('/_sim/faults').expect(200)).body).toHaveLength(1);
    await request(sim.baseUrl).delete('/_sim/faults').expect(204);
    expect((await request(sim.baseUrl).get('/_sim/faults').expect(200)).body).toEqual([]);
  });

  it.each([
    [{ operation: 'stop', respond: { status: 500 } }, /operation/],
    [{ operation: 'create' }, /respond and\/or callback/],
    [{ operation: 'create', respond: { status: 200 } }, /respond.status/],
    [{ operation: 'create', callback: { statusCode: 200, message: 'x' } }, /callback.statusCode/],
    [{ operation: 'create', respond: { status: 500 }, times: 0 }, /times/],
    [{ resource: 'tenant', operation: 'service_operation', respond: { status: 500 } }, /operation service_operation applies to deployments only/],
    [{ operation: 'service_operation', match: { vmName: 'x' }, respond: { status: 500 } }, /match.vmName applies to operations vm_operation, recovery, snapshot only/],
  ])('refuses the invalid rule %j with 400', async (rule, message) => {
    const res = await addFault(rule).expect(400);
    expect(res.body.message).toMatch(message);
  });
});
