/**
 * What every answer of the gateway carries and refuses, whatever the call: security headers, CORS
 * only for the portal origins CORS_ORIGINS names, 405 with Allow for a method a path does not
 * take, 413 for a body over its limit, 415 for a body of the wrong type, and never a stack trace.
 */
import request from 'supertest';
import { Stack, startStack, TENANT_A } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const PORTAL = 'https://portal.example.com';

describe('HTTP hardening', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    stack = await startStack({ env: { CORS_ORIGINS: `${PORTAL}, https://ops.example.com:8443`, OUTBOUND_ALLOW: '127.0.0.1, esc.example.com, *.esc.example.net' } });
    http = request(stack.gatewayUrl);
  });
  afterAll(() => stack?.close());

  it('sends security headers, and says nothing of what it runs on', async () => {
    for (const path of ['/health', '/cam/composer/api/v1/Service', '/no/such/path']) {
      const res = await http.get(path).set('Authorization', A);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('lets only the origins of CORS_ORIGINS call it from a browser', async () => {
    const preflight = await http.options('/cam/composer/api/v1/Service').set('Origin', PORTAL).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/);
    const call = await http.get('/cam/composer/api/v1/Service').set('Authorization', A).set('Origin', 'https://ops.example.com:8443').expect(200);
    expect(call.headers['access-control-allow-origin']).toBe('https://ops.example.com:8443');
    expect(call.headers['access-control-expose-headers']).toMatch(/Idempotent-Replayed/);
    const stranger = await http.get('/cam/composer/api/v1/Service').set('Authorization', A).set('Origin', 'https://evil.example.net').expect(200);
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a method a path does not take with 405 and Allow, an unknown path with 404', async () => {
    const wrong = await http.delete('/cam/composer/api/v1/Service').set('Authorization', A).expect(405);
    expect(wrong.headers.allow).toBe('GET, HEAD');
    expect(wrong.body.error).toMatchObject({ statusCode: 405, code: 'METHOD_NOT_ALLOWED' });
    expect(wrong.body.error.message).toMatch(/^method DELETE is not allowed on \/cam\/composer\/api\/v1\/Service; it takes GET, HEAD/);
    const put = await http.put('/cam/api/v1/templates').set('Authorization', A).send({}).expect(405);
    expect(put.headers.allow.split(', ')).toEqual(expect.arrayContaining(['GET', 'POST']));
    const missing = await http.get('/cam/composer/api/v1/NoSuchThing').set('Authorization', A).expect(404);
    expect(missing.body.error.message).toMatch(/^no such path: GET \/cam\/composer\/api\/v1\/NoSuchThing/);
    expect(missing.headers.allow).toBeUndefined();
  });

  it('refuses a body over its limit with 413, and one of the wrong type with 415', async () => {
    const big = JSON.stringify({ name: 'x', version: '1', type: 'ESC', content: 'a'.repeat(6 * 1024 * 1024) });
    const tooLarge = await http.post('/cam/api/v1/templates').set('Authorization', A).set('Content-Type', 'application/json').send(big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/^body: is larger than this call takes \(5120 KB at most\)/) });
    const callback = await http.post('/esc/callbacks/nope').set('Content-Type', 'application/xml').send(`<x>${'a'.repeat(1100 * 1024)}</x>`);
    expect(callback.status).toBe(413);
    const form = await http.post('/cam/api/v1/templates').set('Authorization', A).set('Content-Type', 'application/x-www-form-urlencoded').send('name=x');
    expect(form.status).toBe(415);
    expect(form.body.error.message).toMatch(/Content-Type: application\/json/);
  });

  it('stores an ESC connection only to a host OUTBOUND_ALLOW lists', async () => {
    const connection = (name: string, url: string) => http.post('/cam/api/v1/connections').set('Authorization', A).send({ name, url, username: 'admin', password: 'pw' });
    for (const url of ['http://10.1.2.3:8080/ESCManager', 'https://192.168.7.7/ESCManager']) {
      const refused = await connection('outside', url).expect(400);
      expect(refused.body.error.message).toMatch(/^url: host '[^']+' (\([^)]+\) )?is not in OUTBOUND_ALLOW/);
    }
    await connection('listed', 'https://esc.example.com/ESCManager').expect(201);
    await connection('in-domain', 'https://east.esc.example.net/ESCManager').expect(201);
    await connection('loopback', 'http://127.0.0.1:9/ESCManager').expect(201);
  });

  it('never answers with a stack trace or an internal path', async () => {
    const answers = await Promise.all([
      http.post('/cam/api/v1/templates').set('Authorization', A).set('Content-Type', 'application/json').send('{"name": '),
      http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send({ service: { actions: 'x' } }),
      http.get('/cam/composer/api/v1/ServiceInstances/%E0%A4%A').set('Authorization', A),
      http.delete('/health'),
    ]);
    for (const res of answers) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.text).not.toMatch(/\s+at [\w.<>]+ \(|node_modules|\/work\/|apps\/gateway|\.ts:\d+/);
    }
  });
});
