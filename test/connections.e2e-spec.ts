import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { TEST_CERTIFICATE, TEST_PRIVATE_KEY } from '../libs/esc/src/client/test-certificate';
import { ESC_CREDENTIALS, Stack, startStack, TENANT_A, TENANT_B } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const B = `Bearer ${TENANT_B.token}`;
const C = '/cam/api/v1/connections';
const UNREACHABLE = 'http://127.0.0.1:1/ESCManager';

/**
 * Deploys on named connections are being built elsewhere right now, so the "in use" state is
 * made here with rows as a deploy leaves them: service → version → instance → ESC resource.
 */
async function insertInstanceOn(stack: Stack, tenantId: string, connectionName: string, status = 'Active'): Promise<{ instanceId: string; resourceId: string }> {
  const [serviceId, versionId, instanceId, resourceId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  await stack.db.query(`INSERT INTO service (id, tenant_id, namespace_id, name, author, image, description, long_description, updated_at) VALUES ($1, $2, 'default', $3, 'test', '', '', '', now())`, [serviceId, tenantId, `svc-${serviceId}`]);
  await stack.db.query(`INSERT INTO service_version (id, service_id, tenant_id, version, status, document, updated_at) VALUES ($1, $2, $3, '1.0', 'Published', '{}', now())`, [versionId, serviceId, tenantId]);
  await stack.db.query(
    `INSERT INTO service_instance (id, tenant_id, namespace_id, name, status, owner, "group", service_id, service_version_id, plan, plan_id, request, updated_at)
     VALUES ($1, $2, 'default', 'fw', $3, 'admin', 'admin', $4, $5, 'Standard', 'p1', '{}', now())`,
    [instanceId, tenantId, status, serviceId, versionId],
  );
  await stack.db.query(
    `INSERT INTO esc_resource (id, service_instance_id, step_id, sequence_no, kind, internal_id, name, esc_tenant, connection_name, status, updated_at)
     VALUES ($1, $2, 'asa1', 0, 'deployment', $3, 'asa', 'admin', $4, 'Active', now())`,
    [resourceId, instanceId, `ceg-${resourceId}`, connectionName],
  );
  return { instanceId, resourceId };
}

describe('ESC connections', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  /** Every answer body of the suite: none may carry a password. */
  const answers: string[] = [];
  const call = async (method: 'get' | 'post' | 'put' | 'delete', path: string, body?: unknown, auth = A) => {
    const req = http[method](path).set('Authorization', auth);
    const res = await (body === undefined ? req : req.send(body as object));
    answers.push(res.text);
    return res;
  };
  const connection = (over: Record<string, unknown> = {}) => ({ name: 'esc-east', url: stack.sim.url, ...ESC_CREDENTIALS, ...over });
  const rowCount = async () => Number((await stack.db.query('SELECT count(*)::int AS n FROM esc_connection')).rows[0].n);

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
  });
  afterAll(async () => {
    for (const text of answers) {
      expect(text).not.toContain(ESC_CREDENTIALS.password);
      expect(text).not.toContain('wrong-pw');
      expect(text).not.toContain('rotated-pw');
    }
    await stack?.close();
  });

  it('lists and reads the built-in default connection, which is testable and read-only', async () => {
    const builtin = { id: 'default', name: 'default', builtin: true, url: stack.sim.url, username: ESC_CREDENTIALS.username, password_set: true, timeout_seconds: 30, max_in_flight: 16 };
    expect((await call('get', C)).body).toEqual([expect.objectContaining(builtin)]);
    expect((await call('get', `${C}/default`)).body).toMatchObject(builtin);
    for (const res of [await call('put', `${C}/default`, { timeout_seconds: 5 }), await call('delete', `${C}/default`)]) {
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain("ESC connection 'default' is configured by the environment (ESC_URL, ESC_USERNAME, ESC_PASSWORD)");
    }
    const test = await call('post', `${C}/default/test`);
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ name: 'default', url: stack.sim.url, reachable: true, authenticated: true });
  });

  it('creates, reads, updates and deletes a connection; the password is never answered and is sealed in the database', async () => {
    const created = await call('post', C, connection({ url: `${stack.sim.url}/`, default_tenant: 'admin', max_in_flight: 4 }));
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'esc-east',
      builtin: false,
      url: stack.sim.url,
      username: ESC_CREDENTIALS.username,
      password_set: true,
      default_tenant: 'admin',
      ca_bundle: null,
      timeout_seconds: 30,
      max_in_flight: 4,
      tenantId: TENANT_A.tenant,
      creationTime: expect.any(String),
      lastUpdated: expect.any(String),
    });
    const id = created.body.id as string;
    const stored = async () => (await stack.db.query('SELECT * FROM esc_connection WHERE id = $1', [id])).rows[0];
    const row = await stored();
    expect(row.password_sealed).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(ESC_CREDENTIALS.password);

    expect((await call('get', `${C}/${id}`)).body).toEqual(created.body);
    expect((await call('get', C)).body.map((c: { name: string }) => c.name)).toEqual(['default', 'esc-east']);

    const kept = await call('put', `${C}/${id}`, { timeout_seconds: 10, default_tenant: null });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ timeout_seconds: 10, default_tenant: null, password_set: true, max_in_flight: 4 });
    expect((await stored()).password_sealed).toBe(row.password_sealed);

    expect((await call('put', `${C}/${id}`, { password: null })).body.password_set).toBe(false);
    expect((await stored()).password_sealed).toBeNull();
    expect((await call('put', `${C}/${id}`, { password: 'rotated-pw' })).body.password_set).toBe(true);
    expect((await stored()).password_sealed).not.toContain('rotated-pw');
    expect((await call('put', `${C}/${id}`, { password: '' })).body.password_set).toBe(false);

    // what GET answered can be sent back as it is
    const roundTrip = await call('put', `${C}/${id}`, { ...kept.body, password: ESC_CREDENTIALS.password });
    expect(roundTrip.status).toBe(200);

    // the stored password only ever goes to the ESC it was given for
    const moved = await call('put', `${C}/${id}`, { url: 'http://esc-west.example:8080/ESCManager' });
    expect(moved.status).toBe(400);
    expect(moved.body.error.message).toContain('password: give it again (or null for none) when the url changes');
    expect((await call('put', `${C}/${id}`, { url: 'http://esc-west.example:8080/ESCManager', password: 'west-pw' })).status).toBe(200);

    expect((await call('delete', `${C}/${id}`)).status).toBe(204);
    expect((await call('get', `${C}/${id}`)).status).toBe(404);
    expect((await call('delete', `${C}/${id}`)).status).toBe(404);
  });

  it('tests a connection against ESC: right credentials, a wrong password, an ESC that does not answer', async () => {
    const test = async (body: Record<string, unknown>) => {
      const id = (await call('post', C, connection(body))).body.id;
      const res = await call('post', `${C}/${id}/test`);
      expect(res.status).toBe(200);
      return { id, report: res.body };
    };
    const right = await test({ name: 'probe-right' });
    expect(right.report).toMatchObject({ name: 'probe-right', url: stack.sim.url, reachable: true, authenticated: true, latency_ms: expect.any(Number), message: expect.any(String) });
    const wrong = await test({ name: 'probe-wrong', password: 'wrong-pw' });
    expect(wrong.report).toMatchObject({ reachable: true, http_status: 401, authenticated: false, tenants: null, message: expect.stringContaining('refused the credentials') });
    const down = await test({ name: 'probe-down', url: UNREACHABLE });
    expect(down.report).toMatchObject({ url: UNREACHABLE, reachable: false, http_status: null, authenticated: false, tenants: null, message: expect.stringContaining('ESC did not answer') });

    // a new password is used at once
    await call('put', `${C}/${wrong.id}`, { password: ESC_CREDENTIALS.password });
    expect((await call('post', `${C}/${wrong.id}/test`)).body).toMatchObject({ authenticated: true });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no name', { name: undefined }, /^name must be a string/],
    ['a name with a space', { name: 'esc east' }, /^name must be 1\.\.64 characters/],
    ['a name too long', { name: 'e'.repeat(65) }, /^name must be 1\.\.64 characters/],
    ['the reserved name', { name: 'default' }, /^name: 'default' is reserved/],
    ['no url', { url: undefined }, /^url must be a string/],
    ['a url that is not one', { url: 'esc-east:8443' }, /^url: must be an absolute http\(s\) URL/],
    ['an ftp url', { url: 'ftp://esc/ESCManager' }, /^url: must be an absolute http\(s\) URL .* \(got scheme 'ftp:'\)/],
    ['credentials in the url', { url: 'http://admin:pw@esc:8080/ESCManager' }, /^url: must not carry credentials/],
    ['a url short of /ESCManager', { url: 'http://esc:8080/' }, /^url: must go up to and including \/ESCManager/],
    ['a url with a query', { url: 'http://esc:8080/ESCManager?x=1' }, /^url: must not have a query/],
    ['a link-local (metadata) url', { url: 'http://169.254.169.254/ESCManager' }, /^url: host '169\.254\.169\.254' is \(or resolves to\) 169\.254\.169\.254, a link-local or cloud metadata address, which is never called/],
    ['a cloud metadata host', { url: 'http://metadata.google.internal/ESCManager' }, /^url: host 'metadata\.google\.internal' is a cloud metadata service/],
    ['no username', { username: undefined }, /^username must be a string/],
    ['a username with a colon', { username: 'ad:min' }, /^username must not contain ':'/],
    ['a password that is a number', { password: 1234 }, /^password must be a string/],
    ['a bad default_tenant', { default_tenant: 'a tenant' }, /^default_tenant must be 1\.\.72 characters/],
    ['a ca_bundle for http', { ca_bundle: TEST_CERTIFICATE }, /^ca_bundle: only applies to an https url/],
    ['a ca_bundle without a certificate', { url: 'https://esc:8443/ESCManager', ca_bundle: 'hello' }, /^ca_bundle: must be PEM text with at least one -----BEGIN CERTIFICATE-----/],
    ['a ca_bundle with a broken certificate', { url: 'https://esc:8443/ESCManager', ca_bundle: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }, /^ca_bundle: certificate 1 of 1 is not a valid PEM certificate/],
    ['a ca_bundle with a private key', { url: 'https://esc:8443/ESCManager', ca_bundle: TEST_CERTIFICATE + TEST_PRIVATE_KEY }, /^ca_bundle: must not contain a private key/],
    ['timeout_seconds 0', { timeout_seconds: 0 }, /^timeout_seconds must be between 1 and 300/],
    ['timeout_seconds 301', { timeout_seconds: 301 }, /^timeout_seconds must be between 1 and 300/],
    ['timeout_seconds as text', { timeout_seconds: '30' }, /^timeout_seconds must be an integer/],
    ['max_in_flight 1001', { max_in_flight: 1001 }, /^max_in_flight must be between 1 and 1000/],
    ['max_in_flight 1.5', { max_in_flight: 1.5 }, /^max_in_flight must be an integer/],
    ['a mistyped field', { pasword: 'x' }, /^pasword: is not a field of an ESC connection/],
  ])('refuses %s with a 400 naming the field, storing nothing', async (_what, change, message) => {
    const before = await rowCount();
    const res = await call('post', C, connection({ name: `bad-${Math.random().toString(36).slice(2, 8)}`, ...change }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(message) });
    expect(await rowCount()).toBe(before);
  });

  it('refuses bad updates and bodies that are not objects with a 400', async () => {
    const id = (await call('post', C, connection({ name: 'to-edit' }))).body.id;
    for (const [body, message] of [
      [{ name: null }, /^name must be a string/],
      [{ url: 'http://esc/ESCManager#x' }, /^url: must not have a query or a fragment/],
      [{ username: '' }, /^username must be 1\.\.256 characters/],
      [{ name: 'Default' }, /^name: 'Default' is reserved/],
      [[1, 2], /^body: .*object/],
    ] as const) {
      const res = await call('put', `${C}/${id}`, body);
      expect([res.status, res.body.error?.message]).toEqual([400, expect.stringMatching(message)]);
    }
    expect((await call('post', C, [connection()])).status).toBe(400);
    expect((await call('get', `${C}/not-a-uuid`)).status).toBe(404);
  });

  it('answers 409 to a name the tenant already uses, on create and on rename', async () => {
    await call('post', C, connection({ name: 'dup-a' })).then((r) => expect(r.status).toBe(201));
    const second = (await call('post', C, connection({ name: 'dup-b' }))).body.id;
    const again = await call('post', C, connection({ name: 'dup-a' }));
    expect([again.status, again.body.error.message]).toEqual([409, "ESC connection 'dup-a' already exists"]);
    expect((await call('put', `${C}/${second}`, { name: 'dup-a' })).status).toBe(409);
    expect((await call('put', `${C}/${second}`, { name: 'dup-c' })).body.name).toBe('dup-c');
  });

  it('refuses to delete or rename a connection that a live instance uses, until that use is over', async () => {
    const id = (await call('post', C, connection({ name: 'in-use' }))).body.id;
    const live = await insertInstanceOn(stack, TENANT_A.tenant, 'in-use');
    await insertInstanceOn(stack, TENANT_A.tenant, 'in-use', 'Terminated'); // over: does not count
    await insertInstanceOn(stack, TENANT_B.tenant, 'in-use'); // another tenant's connection of that name
    const refused = await call('delete', `${C}/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(`ESC connection 'in-use' is in use by live instance(s) ${live.instanceId}: terminate them before you delete it`);
    expect((await call('put', `${C}/${id}`, { name: 'renamed' })).status).toBe(409);
    expect((await call('put', `${C}/${id}`, { timeout_seconds: 60 })).status).toBe(200);

    await stack.db.query(`UPDATE esc_resource SET status = 'Undeployed' WHERE id = $1`, [live.resourceId]);
    expect((await call('delete', `${C}/${id}`)).status).toBe(204);
  });

  it("keeps tenants apart: another tenant's connection is a 404, and its name is free", async () => {
    const id = (await call('post', C, connection({ name: 'tenant-a-only' }))).body.id;
    for (const [method, path, body] of [
      ['get', `${C}/${id}`],
      ['put', `${C}/${id}`, { timeout_seconds: 5 }],
      ['delete', `${C}/${id}`],
      ['post', `${C}/${id}/test`],
    ] as const) {
      expect((await call(method, path, body, B)).status).toBe(404);
    }
    expect((await call('get', C, undefined, B)).body.map((c: { name: string }) => c.name)).toEqual(['default']);
    expect((await call('post', C, connection({ name: 'tenant-a-only' }), B)).status).toBe(201);
    expect((await call('get', `${C}/${id}`)).status).toBe(200);
  });

  it('stores a CA bundle for an https ESC and answers it', async () => {
    const res = await call('post', C, connection({ name: 'esc-tls', url: 'https://127.0.0.1:1/ESCManager', ca_bundle: TEST_CERTIFICATE }));
    expect(res.status).toBe(201);
    expect(res.body.ca_bundle).toBe(TEST_CERTIFICATE);
    expect((await call('post', `${C}/${res.body.id}/test`)).body).toMatchObject({ reachable: false });
  });

  it('needs a token, and documents the calls', async () => {
    expect((await http.get(C)).status).toBe(401);
    const doc = (await http.get('/docs-json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([C, `${C}/{id}`, `${C}/{id}/test`]));
    expect(doc.paths[C].post.responses).toEqual(expect.objectContaining({ 201: expect.anything(), 400: expect.anything(), 409: expect.anything() }));
  });
});
