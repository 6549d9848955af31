import request from 'supertest';
import { RunningEscSim, startEscSim } from '../esc-sim';

describe('HTTP Basic auth', () => {
  let sim: RunningEscSim;
  const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

  beforeAll(async () => {
    sim = await startEscSim({ username: 'admin', password: 's3cret', callbackDelayMs: 0 });
  });

  afterAll(async () => {
    await sim.close();
  });

  it('answers 401 with a challenge when credentials are missing', async () => {
    const res = await request(sim.url).get('/v0/deployments').expect(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="ESCManager"');
  });

  it('answers 401 for wrong credentials, on known and unknown ESC paths alike', async () => {
    await request(sim.url).get('/v0/deployments').set('Authorization', basic('admin:wrong')).expect(401);
    await request(sim.url).get('/v0/tenants').set('Authorization', 'Bearer abc').expect(401);
    await request(sim.url).post('/v0/deployments/x').expect(401);
  });

  it('serves requests with the right credentials', async () => {
    await request(sim.url).get('/v0/deployments').set('Authorization', basic('admin:s3cret')).expect(200);
  });

  it('leaves /_sim open and logs refused requests with the credentials redacted', async () => {
    await request(sim.baseUrl).delete('/_sim/requests').expect(204);
    await request(sim.url).get('/v0/deployments').set('Authorization', basic('admin:wrong')).expect(401);
    const [logged] = (await request(sim.baseUrl).get('/_sim/requests').expect(200)).body;
    expect(logged).toMatchObject({ method: 'GET', path: '/ESCManager/v0/deployments', status: 401 });
    expect(logged.headers.authorization).toBe('Basic [REDACTED]');
  });
});
