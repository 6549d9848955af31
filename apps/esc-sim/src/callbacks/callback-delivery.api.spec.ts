import request from 'supertest';
import { RunningEscSim, startEscSim } from '../esc-sim';
import { CallbackReceiver, stageOf } from '../testing/callback-receiver';
import { escFixture, parseXml } from '../testing/fixtures';

const CREATE_XML = escFixture('deployment_create.request.xml');

describe('callback delivery', () => {
  let sim: RunningEscSim;
  let receiver: CallbackReceiver;

  beforeAll(async () => {
    receiver = await CallbackReceiver.start();
    sim = await startEscSim({ callbackDelayMs: 0, callbackRetries: 2, callbackRetryDelayMs: 5 });
  });

  afterEach(async () => {
    await request(sim.baseUrl).post('/_sim/reset').expect(204);
    receiver.clear();
    receiver.respondWith(200);
  });

  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  const create = (id: string, callback: string) =>
    request(sim.url).post(`/v0/deployments/${id}`).set('Content-Type', 'application/xml').set('Callback', callback).send(CREATE_XML);

  it('retries a callback the receiver refuses, then moves on to the next one', async () => {
    receiver.respondWith(500);
    await create('my_dep_id', receiver.url).expect(200);

    // 3 callbacks x (1 attempt + 2 retries)
    const received = await receiver.waitFor((all) => all.length === 9);
    expect(received.map(stageOf)).toEqual([
      ...Array(3).fill('VM_DEPLOYED'),
      ...Array(3).fill('VM_ALIVE'),
      ...Array(3).fill('SERVICE_ALIVE'),
    ]);
    const log = (await request(sim.baseUrl).get('/_sim/callbacks').expect(200)).body;
    expect(log).toHaveLength(3);
    expect(log[0]).toMatchObject({ url: receiver.url, delivered: false });
    expect(log[0].attempts.map((attempt: { status: number }) => attempt.status)).toEqual([500, 500, 500]);
    expect(log[0].headers).toEqual({
      'Content-Type': 'application/xml; charset=UTF-8',
      ESC_TRANSACTION_ID: expect.any(String),
      'ESC-Status-Code': '200',
      'ESC-Status-Message': 'VM Deployed',
    });
  });

  it('survives an unreachable callback URL and still completes the deployment', async () => {
    const closed = await CallbackReceiver.start();
    const deadUrl = closed.url;
    await closed.close();

    await create('my_dep_id', deadUrl).expect(200);
    type Entry = { delivered: boolean | null; attempts: Array<{ error?: string }> };
    let log: Entry[] = [];
    for (let i = 0; i < 100 && !(log.length === 3 && log.every((entry) => entry.delivered !== null)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      log = (await request(sim.baseUrl).get('/_sim/callbacks').expect(200)).body;
    }
    expect(log.map((entry) => entry.delivered)).toEqual([false, false, false]);
    expect(log[0].attempts).toHaveLength(3);
    expect(log[0].attempts[0].error).toMatch(/ECONNREFUSED/);
    const deployment = parseXml((await request(sim.url).get('/v0/deployments/my_dep_id').expect(200)).text).deployment;
    expect(deployment.service_state_machine_state).toBe('SERVICE_ACTIVE_STATE');
  });
});

describe('close()', () => {
  it('returns promptly while callbacks are still pending', async () => {
    const receiver = await CallbackReceiver.start();
    const sim = await startEscSim({ callbackDelayMs: 60_000 });
    await request(sim.url)
      .post('/v0/deployments/slow')
      .set('Content-Type', 'application/xml')
      .set('Callback', receiver.url)
      .send(CREATE_XML)
      .expect(200);

    const started = Date.now();
    await sim.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(receiver.received).toHaveLength(0);
    await receiver.close();
  });
});
