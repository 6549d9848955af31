import request from 'supertest';
import { startEscSim } from '../esc-sim';
import { ReceivedCallback, stageOf } from '../testing/callback-receiver';
import { ADMIN_TENANT, deploymentSteps, operationXml } from '../testing/deployment-steps';
import { resourceBody } from '../testing/esc-requests';
import { eventually } from '../testing/eventually';
import { escFixture } from '../testing/fixtures';
import { useEscSim } from '../testing/sim-context';
import { expectNoAnswer } from '../testing/no-answer';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The one transaction id all these callbacks carry. */
function transactionIdOf(callbacks: ReceivedCallback[]): string {
  const ids = [...new Set(callbacks.map((callback) => callback.headers['esc_transaction_id']))];
  expect(ids).toEqual([expect.stringMatching(UUID)]);
  return ids[0] as string;
}

describe('answer faults (respond.headers, loseAnswer, delayMs)', () => {
  const context = useEscSim({ callbackDelayMs: 2 });
  const steps = deploymentSteps(context);
  const faults = async () => (await request(context.sim.baseUrl).get('/_sim/faults').expect(200)).body;

  describe('respond.headers', () => {
    it('sends the extra headers with the forced answer', async () => {
      const headers = { 'Retry-After': '2', 'X-Esc-Node': 'standby' };
      await steps.addFault({ operation: 'create', respond: { status: 503, body: 'failover', headers }, times: 1 });

      const res = await steps.create('my_dep_id').expect(503);
      expect(res.text).toBe('failover');
      expect(res.headers).toMatchObject({ 'retry-after': '2', 'x-esc-node': 'standby', 'content-type': 'text/plain; charset=utf-8' });
      expect((await faults())[0]).toMatchObject({ respond: { status: 503, body: 'failover', headers }, hits: 1 });

      // Used up: the next one is accepted, without them.
      const accepted = await steps.create('my_dep_id').expect(200);
      expect(accepted.headers['retry-after']).toBeUndefined();
    });

    it('lets a rule set the Content-Type of its answer', async () => {
      await steps.addFault({ resource: 'tenant', operation: 'create', respond: { status: 500, body: '{"error":"down"}', headers: { 'Content-Type': 'application/json' } } });
      const res = await context.esc.post('tenants/t1', resourceBody('tenant', 't1')).expect(500);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.text).toBe('{"error":"down"}');
    });
  });

  describe('loseAnswer', () => {
    it('creates the deployment and sends its callbacks, but destroys the connection instead of answering', async () => {
      await steps.addFault({ operation: 'create', match: { internalId: 'my_dep_id' }, loseAnswer: true, times: 1 });

      await expectNoAnswer(steps.create('my_dep_id'));
      const callbacks = await context.receiver.waitForStage('SERVICE_ALIVE');
      expect(callbacks.map(stageOf)).toEqual(['VM_DEPLOYED', 'VM_ALIVE', 'SERVICE_ALIVE']);
      const transactionId = transactionIdOf(callbacks);
      expect((await steps.current()).deployment.service_state_machine_state).toBe('SERVICE_ACTIVE_STATE');

      // The transaction id is the one ESC generated for the request (the callback log has it too).
      const sent = (await request(context.sim.baseUrl).get('/_sim/callbacks').expect(200)).body;
      expect(sent.map((callback: { headers: Record<string, string> }) => callback.headers['ESC_TRANSACTION_ID'])).toEqual([transactionId, transactionId, transactionId]);
      // The request log has the request, never answered.
      const [logged] = (await request(context.sim.baseUrl).get('/_sim/requests').expect(200)).body;
      expect(logged).toMatchObject({ method: 'POST', path: '/ESCManager/v0/deployments/my_dep_id' });
      expect(logged.status).toBeUndefined();
      expect((await faults())[0]).toMatchObject({ loseAnswer: true, times: 1, hits: 1 });

      // A client retrying finds the id taken (the create was applied); times: 1 is used up, so it hears that.
      await steps.create('my_dep_id').expect(409);
    });

    const vmOf = async () => (await steps.current()).vms[0].vm_name as string;
    it.each([
      ['update', 'SERVICE_UPDATED', () => request(context.sim.baseUrl).put('/ESCManager/v0/deployments/my_dep_id').set('Content-Type', 'application/xml').set('Callback', context.receiver.url).send(escFixture('deployment_update_add_group.request.xml'))],
      ['delete', 'SERVICE_UNDEPLOYED', () => request(context.sim.baseUrl).delete('/ESCManager/v0/deployments/my_dep_id').set('Callback', context.receiver.url)],
      ['service_operation', 'SERVICE_STOPPED', () => steps.post(`${ADMIN_TENANT}/deployments/service/my_dep_id`, escFixture('service_operation_stop.request.xml'))],
      ['vm_operation', 'VM_STOP_COMPLETE', async () => steps.post(`${ADMIN_TENANT}/deployments/vm/${await vmOf()}`, escFixture('vm_operation_stop.request.xml'))],
      ['recovery', 'VM_RECOVERY_COMPLETE', async () => steps.post(`${ADMIN_TENANT}/deployments/recovery-vm/${await vmOf()}`, operationXml('recovery_vm_operation', 'recovery_do'))],
      ['snapshot', 'VM_SNAPSHOT_COMPLETE', async () => steps.post(`${ADMIN_TENANT}/deployments/snapshot-vm/${await vmOf()}`, operationXml('snapshot_vm_operation', 'snapshot', '\n  <name>snap-1</name>'))],
    ])('applies a deployment %s whose answer it loses (%s arrives)', async (operation, stage, send) => {
      await steps.deployed();
      await steps.addFault({ operation, loseAnswer: true });
      const before = (await steps.current()).deployment.deployment_details;

      await expectNoAnswer(send());
      const callbacks = await context.receiver.waitForStage(stage);
      transactionIdOf(callbacks);
      expect((await faults())[0].hits).toBe(1);
      if (operation === 'delete') {
        await eventually(async () => {
          await request(context.sim.baseUrl).get('/ESCManager/v0/deployments/my_dep_id').expect(404);
        });
      } else if (operation !== 'snapshot') {
        expect((await steps.current()).deployment.deployment_details).not.toEqual(before);
      }
    });

    it('applies a resource create and delete whose answers it loses, times: 1 each', async () => {
      await steps.addFault({ resource: 'network', operation: 'create', loseAnswer: true, times: 1 });
      await steps.addFault({ resource: 'network', operation: 'delete', loseAnswer: true, times: 1 });
      await context.esc.post('tenants/t1', resourceBody('tenant', 't1')).expect(200);
      await context.receiver.waitForStage('CREATE_TENANT');

      await expectNoAnswer(context.esc.post('t1/networks/n1', resourceBody('network', 'n1')));
      const [created] = (await context.receiver.waitForStage('CREATE_NETWORK')).filter((callback) => stageOf(callback) === 'CREATE_NETWORK');
      expect(created.headers['esc_transaction_id']).toMatch(UUID);
      await context.esc.get('t1/networks/n1').expect(200);
      // The rule is used up: the next create is answered.
      await context.esc.post('t1/networks/n2', resourceBody('network', 'n2')).expect(200);

      await expectNoAnswer(context.esc.delete('t1/networks/n1'));
      await context.receiver.waitForStage('DELETE_NETWORK');
      await context.esc.get('t1/networks/n1').expect(404);
      expect((await faults()).map((rule: { hits: number }) => rule.hits)).toEqual([1, 1]);
    });
  });

  describe('delayMs', () => {
    const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
      const start = Date.now();
      const result = await run();
      return [result, Date.now() - start];
    };

    it('sends the accepted answer late; the operation runs meanwhile', async () => {
      await steps.addFault({ operation: 'create', delayMs: 400 });
      const [res, elapsed] = await timed(() => steps.create('my_dep_id').expect(200));
      expect(elapsed).toBeGreaterThanOrEqual(390);
      const callbacks = await context.receiver.waitForStage('SERVICE_ALIVE');
      expect(transactionIdOf(callbacks)).toBe(res.headers['esc-transaction-id']);
      expect((await faults())[0]).toMatchObject({ delayMs: 400, hits: 1 });

      const [, quick] = await timed(() => steps.create('other', undefined, { callback: null }).expect(409));
      expect(quick).toBeLessThan(390); // refused before any rule applies (same deployment name)
    });

    it('sends a respond answer late, with its headers', async () => {
      await steps.addFault({ operation: 'create', respond: { status: 503, headers: { 'Retry-After': '1' } }, delayMs: 300, times: 1 });
      const [res, elapsed] = await timed(() => steps.create('my_dep_id').expect(503));
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(res.headers['retry-after']).toBe('1');
    });

    it('destroys the connection late with loseAnswer', async () => {
      await steps.addFault({ resource: 'tenant', operation: 'create', loseAnswer: true, delayMs: 300 });
      const [, elapsed] = await timed(() => expectNoAnswer(context.esc.post('tenants/t1', resourceBody('tenant', 't1'))));
      expect(elapsed).toBeGreaterThanOrEqual(290);
      await context.esc.get('tenants/t1').expect(200);
    });

    it('does not keep the simulator from closing', async () => {
      const sim = await startEscSim();
      await request(sim.baseUrl).post('/_sim/faults').send({ operation: 'create', delayMs: 60_000 }).expect(201);
      const answer = expectNoAnswer(request(sim.baseUrl).post('/ESCManager/v0/deployments/d1').set('Content-Type', 'application/xml').send(escFixture('deployment_create.request.xml')));
      await eventually(async () => {
        expect((await request(sim.baseUrl).get('/_sim/faults').expect(200)).body[0].hits).toBe(1);
      });

      const [, elapsed] = await timed(() => sim.close());
      expect(elapsed).toBeLessThan(5000);
      await answer;
    });
  });

  it.each([
    [{ operation: 'create', respond: { status: 503, headers: 'Retry-After: 2' } }, /respond.headers must be a JSON object/],
    [{ operation: 'create', respond: { status: 503, headers: { 'Retry After': '2' } } }, /'Retry After' is not a valid header name/],
    [{ operation: 'create', respond: { status: 503, headers: { 'Retry-After': 2 } } }, /respond.headers.Retry-After must be a string/],
    [{ operation: 'create', respond: { status: 503, headers: { 'X-A': 'a\r\nX-B: b' } } }, /must be a string of one line/],
    [{ operation: 'create', respond: { status: 503, headers: { 'Content-Length': '0' } } }, /Content-Length cannot be set/],
    [{ operation: 'create', respond: { status: 503, headers: { 'X-A': '1', 'x-a': '2' } } }, /x-a is given twice/],
    [{ operation: 'create', respond: { status: 503, headers: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`X-${i}`, ''])) } }, /at most 10 headers/],
    [{ operation: 'create', loseAnswer: 'yes' }, /loseAnswer must be true or false/],
    [{ operation: 'create', loseAnswer: false }, /a fault needs/],
    [{ operation: 'create', respond: { status: 500 }, loseAnswer: true }, /loseAnswer cannot be combined with respond/],
    [{ operation: 'create', delayMs: 60_001 }, /delayMs must be an integer between 0 and 60000/],
    [{ operation: 'create', delayMs: -1 }, /delayMs must be an integer/],
    [{ operation: 'create', delayMs: 1.5 }, /delayMs must be an integer/],
  ])('refuses the invalid rule %j with 400', async (rule, message) => {
    const res = await request(context.sim.baseUrl).post('/_sim/faults').send(rule).expect(400);
    expect(res.body.message).toMatch(message);
  });
});
