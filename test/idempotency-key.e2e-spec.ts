/**
 * Idempotency-Key on the mutating CAM calls: a retried request (the portal's connection dropped
 * before the answer came) gets the first answer again instead of a second deploy; the same key
 * with another request is a 422; keys are per tenant; a request that failed gives its key back.
 */
import request from 'supertest';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { Stack, startStack, TENANT_A, TENANT_B, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const B = `Bearer ${TENANT_B.token}`;
const API = '/cam/composer/api/v1/ServiceInstances';

describe('Idempotency-Key', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let manifestA: string;
  let manifestB: string;

  const deploy = (manifest: string, name: string, key?: string, auth = A) => {
    const req = http.post(`/cam/composer/api/v1/ServiceManifest/${manifest}/deploy`).set('Authorization', auth);
    return (key ? req.set('Idempotency-Key', key) : req).send(deployBody(name, { image: 'ASA' }));
  };
  const instancesNamed = async (name: string) => (await stack.db.query('SELECT id FROM service_instance WHERE name = $1', [name])).rows;
  const instance = async (id: string) => (await http.get(`${API}/${id}`).set('Authorization', A)).body;

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
    for (const [auth, name] of [[A, 'A'], [B, 'B']]) {
      await http.post('/cam/api/v1/templates').set('Authorization', auth).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
      const id = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', auth).send(escService(`ASA idem ${name}`)).expect(200)).body.serviceManifestId;
      if (name === 'A') manifestA = id;
      else manifestB = id;
    }
  });
  afterAll(() => stack?.close());

  it('a retried deploy returns the first answer, replayed, and makes one instance', async () => {
    const first = await deploy(manifestA, 'idem-01', 'retry-7f3a').expect(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await deploy(manifestA, 'idem-01', 'retry-7f3a').expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await instancesNamed('idem-01')).toHaveLength(1);
    // without a key, the same body is a new request (here: a second instance of that name)
    await deploy(manifestA, 'idem-01').expect(200);
    expect(await instancesNamed('idem-01')).toHaveLength(2);
  });

  it('the same key with another request is a 422 naming the header, and runs nothing', async () => {
    await deploy(manifestA, 'idem-02', 'reused-key').expect(200);
    const other = await deploy(manifestA, 'idem-02-other', 'reused-key').expect(422);
    expect(other.body.error).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED', message: expect.stringMatching(/^header Idempotency-Key: 'reused-key' was used in the last 24 hours for another request/) });
    expect(await instancesNamed('idem-02-other')).toHaveLength(0);
  });

  it('keys are per tenant: another tenant\'s request under the same key runs as its own', async () => {
    const a = await deploy(manifestA, 'idem-03', 'shared-key').expect(200);
    const b = await deploy(manifestB, 'idem-03-b', 'shared-key', B).expect(200);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('a retried terminate gets its first answer, not a 409 for the action it started', async () => {
    const { id } = (await deploy(manifestA, 'idem-04').expect(200)).body;
    await waitFor(() => instance(id), (i) => i.Status === 'Active', 'the deploy');
    const first = await http.post(`${API}/${id}/terminate`).set('Authorization', A).set('Idempotency-Key', `terminate-${id}`).send({}).expect(200);
    const again = await http.post(`${API}/${id}/terminate`).set('Authorization', A).set('Idempotency-Key', `terminate-${id}`).send({}).expect(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // a terminate without the key, while the first runs, is refused as before
    await http.post(`${API}/${id}/terminate`).set('Authorization', A).send({}).expect((r) => expect([409, 419]).toContain(r.status));
  });

  it('a request that failed gives its key back: the same request runs again (and fails again), the fixed one may use the key', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const failed = await deploy(missing, 'idem-05', 'fails-first').expect(404);
    expect(failed.headers['idempotent-replayed']).toBeUndefined();
    await deploy(missing, 'idem-05', 'fails-first').expect(404);
    const { rows } = await stack.db.query(`SELECT 1 FROM idempotency_key WHERE key = 'fails-first'`);
    expect(rows).toHaveLength(0);
  });

  it('the same request twice at once under one key: one runs, the other waits its turn (409) or gets its answer', async () => {
    const [x, y] = await Promise.all([deploy(manifestA, 'idem-06', 'at-once'), deploy(manifestA, 'idem-06', 'at-once')]);
    expect([x.status, y.status].sort()).toEqual(expect.arrayContaining([200]));
    for (const r of [x, y]) expect([200, 409]).toContain(r.status);
    expect(await instancesNamed('idem-06')).toHaveLength(1);
  });

  it.each([
    ['with a space', 'a key'],
    ['too long', 'k'.repeat(256)],
    ['not ASCII', 'clé'],
  ])('refuses a key %s (400 naming the header) and runs nothing', async (_, key) => {
    const res = await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestA}/deploy`).set('Authorization', A).set('Idempotency-Key', encodeURI(key) === key ? key : Buffer.from(key, 'utf8').toString('latin1')).send(deployBody('idem-bad', { image: 'ASA' }));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^header Idempotency-Key: must be 1 to 255 printable ASCII characters/);
    expect(await instancesNamed('idem-bad')).toHaveLength(0);
  });

  it('is in the served OpenAPI document on every mutating CAM operation', async () => {
    const doc = (await http.get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>> };
    const deployOp = doc.paths['/cam/composer/api/v1/ServiceManifest/{id}/deploy'].post;
    expect(deployOp.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
    expect(deployOp.responses['422']).toBeDefined();
    for (const [path, ops] of Object.entries(doc.paths).filter(([p]) => p.startsWith('/cam/'))) {
      for (const [method, op] of Object.entries(ops)) {
        const has = (op.parameters ?? []).some((p) => p.name === 'Idempotency-Key');
        expect({ path, method, has }).toEqual({ path, method, has: method !== 'get' });
      }
    }
  });
});
