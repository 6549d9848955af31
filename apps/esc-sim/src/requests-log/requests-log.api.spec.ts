import request from 'supertest';
import { RunningEscSim, startEscSim } from '../esc-sim';
import { escFixture } from '../testing/fixtures';

describe('request log (/_sim/requests)', () => {
  let sim: RunningEscSim;

  beforeAll(async () => {
    sim = await startEscSim({ callbackDelayMs: 0 });
  });

  afterEach(async () => {
    await request(sim.baseUrl).post('/_sim/reset').expect(204);
  });

  afterAll(async () => {
    await sim.close();
  });

  it('records method, path, headers and the exact body of ESC requests', async () => {
    const xml = escFixture('deployment_create.request.xml');
    await request(sim.url)
      .post('/v0/deployments/my_dep_id')
      .set('Content-Type', 'application/xml')
      .set('Accept', 'application/xml')
      .set('Callback', 'http://127.0.0.1:9/callback')
      .set('Callback-ESC-Events', 'http://127.0.0.1:9/events')
      .send(xml)
      .expect(200);

    const [entry] = (await request(sim.baseUrl).get('/_sim/requests').expect(200)).body;
    expect(entry).toMatchObject({
      seq: 1,
      method: 'POST',
      path: '/ESCManager/v0/deployments/my_dep_id',
      body: xml,
      status: 200,
      headers: expect.objectContaining({
        'content-type': 'application/xml',
        accept: 'application/xml',
        callback: 'http://127.0.0.1:9/callback',
        'callback-esc-events': 'http://127.0.0.1:9/events',
      }),
    });
    expect(entry.receivedAt).toEqual(expect.any(String));
  });

  it('records requests to paths ESC does not have, with bodies of any content type', async () => {
    await request(sim.baseUrl).post('/v0/deployments/oops?x=1').set('Content-Type', 'application/json').send('{"a":1}').expect(404);
    const [entry] = (await request(sim.baseUrl).get('/_sim/requests').expect(200)).body;
    expect(entry).toMatchObject({ method: 'POST', path: '/v0/deployments/oops?x=1', body: '{"a":1}', status: 404 });
  });

  it('does not record /_sim calls, and can be cleared', async () => {
    await request(sim.url).get('/v0/deployments').expect(200);
    await request(sim.baseUrl).get('/_sim/faults').expect(200);
    expect((await request(sim.baseUrl).get('/_sim/requests').expect(200)).body).toHaveLength(1);
    await request(sim.baseUrl).delete('/_sim/requests').expect(204);
    expect((await request(sim.baseUrl).get('/_sim/requests').expect(200)).body).toEqual([]);
  });
});
