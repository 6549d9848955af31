import request from 'supertest';
import { deploymentSteps } from '../testing/deployment-steps';
import { expectNoAnswer } from '../testing/no-answer';
import { useEscSim } from '../testing/sim-context';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('down period (/_sim/down)', () => {
  const context = useEscSim({ callbackDelayMs: 2 });
  const steps = deploymentSteps(context);
  const sim = () => request(context.sim.baseUrl);
  const goDown = (ms: number) => sim().post('/_sim/down').send({ ms });
  const listed = async () => (await sim().get('/_sim/faults').expect(200)).body;

  it('destroys the connection of every request outside /_sim, applying nothing, until it ends', async () => {
    const started = (await goDown(1500).expect(201)).body;
    expect(started).toEqual({
      id: expect.any(String),
      down: { ms: 1500, startedAt: expect.any(String), endsAt: expect.any(String), active: true },
      hits: 0,
    });
    expect(Date.parse(started.down.endsAt) - Date.parse(started.down.startedAt)).toBe(1500);

    await expectNoAnswer(steps.create('my_dep_id'));
    await expectNoAnswer(sim().get('/ESCManager/v0/deployments'));
    await expectNoAnswer(sim().get('/nowhere'));
    // The simulator's own API keeps answering.
    expect((await sim().get('/_sim/health').expect(200)).body).toEqual({ status: 'ok' });
    expect((await listed()).at(-1)).toMatchObject({ id: started.id, down: { active: true }, hits: 3 });
    // The refused requests are logged, never answered.
    const logged = (await sim().get('/_sim/requests').expect(200)).body;
    expect(logged.map((entry: { path: string; status?: number }) => [entry.path, entry.status])).toEqual([
      ['/ESCManager/v0/deployments/my_dep_id', undefined],
      ['/ESCManager/v0/deployments', undefined],
      ['/nowhere', undefined],
    ]);

    await sleep(Math.max(0, Date.parse(started.down.endsAt) - Date.now()) + 20);
    // Nothing was applied: the deployment does not exist and its id is free.
    await sim().get('/ESCManager/v0/deployments/my_dep_id').expect(404);
    await steps.create('my_dep_id').expect(200);
    await context.receiver.waitForStage('SERVICE_ALIVE');
    expect((await sim().get('/_sim/down').expect(200)).body).toMatchObject({ id: started.id, down: { active: false }, hits: 3 });
  });

  it('ends early on DELETE /_sim/down, staying listed until the faults are cleared', async () => {
    await steps.addFault({ operation: 'delete', respond: { status: 500 } });
    await goDown(60_000).expect(201);
    await expectNoAnswer(steps.create('my_dep_id'));

    await sim().delete('/_sim/down').expect(204);
    await steps.create('my_dep_id').expect(200);
    const [rule, down] = await listed();
    expect(rule).toMatchObject({ operation: 'delete', hits: 0 });
    expect(down).toMatchObject({ down: { ms: 60_000, active: false }, hits: 1 });
    expect(Date.parse(down.down.endsAt)).toBeLessThanOrEqual(Date.now());

    await sim().delete('/_sim/down').expect(204); // nothing left to end
    await sim().delete('/_sim/faults').expect(204);
    expect(await listed()).toEqual([]);
    await sim().get('/_sim/down').expect(404);
  });

  it('is replaced by a new down period, and removed by id, by reset', async () => {
    const first = (await goDown(60_000).expect(201)).body;
    const second = (await goDown(60_000).expect(201)).body;
    expect(second.id).not.toBe(first.id);
    expect(await listed()).toEqual([expect.objectContaining({ id: second.id })]);

    await sim().delete(`/_sim/faults/${second.id}`).expect(204);
    await sim().get('/ESCManager/v0/deployments').expect(200);

    await goDown(60_000).expect(201);
    await sim().post('/_sim/reset').expect(204);
    await sim().get('/ESCManager/v0/deployments').expect(200);
    expect(await listed()).toEqual([]);
  });

  it.each([[{}], [{ ms: 0 }], [{ ms: 600_001 }], [{ ms: '3000' }], [{ ms: 2.5 }]])('refuses %j with 400', async (body) => {
    const res = await sim().post('/_sim/down').send(body).expect(400);
    expect(res.body.message).toBe('ms must be an integer between 1 and 600000');
    await sim().get('/ESCManager/v0/deployments').expect(200);
  });
});
