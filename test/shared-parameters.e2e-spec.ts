import request from 'supertest';
import { Stack, startStack, TENANT_A, TENANT_B } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const B = `Bearer ${TENANT_B.token}`;
const P = '/cam/api/v1/sharedparameters';
const MASK = '*******';

describe('shared parameters', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  const bastion = (over: Record<string, unknown> = {}) => ({
    name: 'CorporateBastion',
    datatype: 'bastionhost',
    values: { bastion_host: 'bastion.example.com', bastion_port: 22, bastion_user: 'jump', bastion_password: 'b4stion-pw', bastion_pin: 4321 },
    secured_keys: ['bastion_password', 'bastion_pin'],
    ...over,
  });
  const stored = async (id: string) => (await stack.db.query('SELECT "values", secured_keys FROM shared_parameter WHERE id = $1', [id])).rows[0];
  const rowCount = async () => Number((await stack.db.query('SELECT count(*)::int AS n FROM shared_parameter')).rows[0].n);

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
  });
  afterAll(() => stack?.close());

  it('stores a shared parameter with its secured values sealed, and answers them masked', async () => {
    const created = await http.post(P).set('Authorization', A).send(bastion()).expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'CorporateBastion',
      datatype: 'bastionhost',
      values: { bastion_host: 'bastion.example.com', bastion_port: 22, bastion_user: 'jump', bastion_password: MASK, bastion_pin: MASK },
      secured_keys: ['bastion_password', 'bastion_pin'],
      tenantId: TENANT_A.tenant,
      creationTime: expect.any(String),
      lastUpdated: expect.any(String),
    });
    const row = await stored(created.body.id);
    expect(row.values.bastion_password).toMatch(/^v1\./);
    expect(row.values.bastion_pin).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain('b4stion-pw');
    expect(JSON.stringify(row)).not.toContain('4321');
    expect(row.values.bastion_port).toBe(22);

    const read = await http.get(`${P}/${created.body.id}`).set('Authorization', A).expect(200);
    expect(read.body).toEqual(created.body);
    expect(JSON.stringify((await http.get(P).set('Authorization', A).expect(200)).body)).not.toContain('b4stion-pw');
  });

  it('updates: values replace all, the mask keeps a stored secret, secured_keys change what is sealed', async () => {
    const { id } = (await http.post(P).set('Authorization', A).send(bastion({ name: 'Editable' })).expect(201)).body;
    const before = await stored(id);

    const masked = await http.put(`${P}/${id}`).set('Authorization', A).send({ values: { bastion_host: 'b2.example.com', bastion_port: 2222, bastion_password: MASK, bastion_pin: MASK } }).expect(200);
    expect(masked.body).toMatchObject({ values: { bastion_host: 'b2.example.com', bastion_port: 2222, bastion_password: MASK, bastion_pin: MASK }, secured_keys: ['bastion_password', 'bastion_pin'] });
    const after = await stored(id);
    expect(after.values.bastion_user).toBeUndefined();
    expect(after.values.bastion_password).not.toBe(before.values.bastion_password); // sealed afresh, same secret
    expect(JSON.stringify(after)).not.toContain('b4stion-pw');

    // the whole answer sent back as it was changes nothing
    await http.put(`${P}/${id}`).set('Authorization', A).send(masked.body).expect(200);

    // no longer secured: the stored secret comes back in clear
    const opened = await http.put(`${P}/${id}`).set('Authorization', A).send({ secured_keys: ['bastion_pin'] }).expect(200);
    expect(opened.body.values).toMatchObject({ bastion_password: 'b4stion-pw', bastion_pin: MASK });
    expect((await stored(id)).values.bastion_password).toBe('b4stion-pw');

    const renamed = await http.put(`${P}/${id}`).set('Authorization', A).send({ name: 'Renamed', datatype: 'jumphost' }).expect(200);
    expect(renamed.body).toMatchObject({ name: 'Renamed', datatype: 'jumphost', secured_keys: ['bastion_pin'] });

    // values without a secured key: that key and its secret go
    const dropped = await http.put(`${P}/${id}`).set('Authorization', A).send({ values: { bastion_host: 'b3' } }).expect(200);
    expect(dropped.body).toMatchObject({ values: { bastion_host: 'b3' }, secured_keys: [] });
  });

  it('lists by name, filtered by datatype', async () => {
    await http.post(P).set('Authorization', A).send({ name: 'DefaultNoBastionHostRequired', datatype: 'bastionhost', values: { bastion_host: '' } }).expect(201);
    await http.post(P).set('Authorization', A).send({ name: 'ProxyA', datatype: 'httpproxy', values: { url: 'http://proxy:3128' } }).expect(201);
    const names = async (q: string) => (await http.get(`${P}${q}`).set('Authorization', A).expect(200)).body.map((p: { name: string }) => p.name);
    expect(await names('?datatype=httpproxy')).toEqual(['ProxyA']);
    expect(await names('?datatype=bastionhost')).toEqual(expect.arrayContaining(['CorporateBastion', 'DefaultNoBastionHostRequired']));
    expect(await names('?datatype=bastionhost')).not.toContain('ProxyA');
    expect(await names('')).toEqual([...(await names('')).sort()]);
    const bad = await http.get(`${P}?datatype=a%20b`).set('Authorization', A).expect(400);
    expect(bad.body.error.message).toMatch(/^datatype: /);
    await http.get(`${P}?datatype=a&datatype=b`).set('Authorization', A).expect(400);
  });

  it('deletes (204), then it is gone (404)', async () => {
    const { id } = (await http.post(P).set('Authorization', A).send(bastion({ name: 'Doomed' })).expect(201)).body;
    await http.delete(`${P}/${id}`).set('Authorization', A).expect(204);
    await http.get(`${P}/${id}`).set('Authorization', A).expect(404);
    await http.delete(`${P}/${id}`).set('Authorization', A).expect(404);
  });

  it('answers 409 to a name the tenant already uses, keeps tenants apart', async () => {
    const { id } = (await http.post(P).set('Authorization', A).send(bastion({ name: 'Shared1' })).expect(201)).body;
    expect((await http.post(P).set('Authorization', A).send(bastion({ name: 'Shared1' })).expect(409)).body.error.message).toBe("shared parameter 'Shared1' already exists");
    const other = (await http.post(P).set('Authorization', A).send(bastion({ name: 'Shared2' })).expect(201)).body.id;
    await http.put(`${P}/${other}`).set('Authorization', A).send({ name: 'Shared1' }).expect(409);

    await http.get(`${P}/${id}`).set('Authorization', B).expect(404);
    await http.put(`${P}/${id}`).set('Authorization', B).send({ datatype: 'x' }).expect(404);
    await http.delete(`${P}/${id}`).set('Authorization', B).expect(404);
    expect((await http.get(P).set('Authorization', B).expect(200)).body).toEqual([]);
    await http.post(P).set('Authorization', B).send(bastion({ name: 'Shared1' })).expect(201);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no name', { name: undefined }, /^name must be a string/],
    ['a name with a slash', { name: 'a/b' }, /^name must be 1\.\.128 characters/],
    ['no datatype', { datatype: undefined }, /^datatype must be a string/],
    ['a datatype too long', { datatype: 'd'.repeat(65) }, /^datatype must be 1\.\.64 characters/],
    ['values not an object', { values: ['a'] }, /^values must be a JSON object/],
    ['a value that is an object', { values: { a: { b: 1 } }, secured_keys: [] }, /^values\.a: must be a string, a number or a boolean/],
    ['a value that is null', { values: { a: null }, secured_keys: [] }, /^values\.a: must be a string, a number or a boolean/],
    ['a bad key', { values: { 'a b': 1 }, secured_keys: [] }, /^values: key 'a b' must be 1\.\.128 characters/],
    ['a secured key not among the values', { secured_keys: ['nope'] }, /^secured_keys: 'nope' is not a key of values/],
    ['secured_keys not an array', { secured_keys: 'bastion_password' }, /^secured_keys must be an array/],
    ['the mask as a new secret', { values: { pw: MASK }, secured_keys: ['pw'] }, /^values\.pw: '\*{7}' stands for a stored secret, and there is none/],
    ['an unknown field', { valeus: {} }, /^valeus: is not a field of a shared parameter/],
  ])('refuses %s with a 400 naming the field, storing nothing', async (_what, change, message) => {
    const before = await rowCount();
    const res = await http.post(P).set('Authorization', A).send(bastion({ name: `Bad${Math.random().toString(36).slice(2, 8)}`, ...change }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(message) });
    expect(await rowCount()).toBe(before);
  });

  it('refuses bad updates with a 400 naming the field', async () => {
    const { id } = (await http.post(P).set('Authorization', A).send(bastion({ name: 'BadEdits' })).expect(201)).body;
    for (const [body, message] of [
      [{ name: null }, /^name must be a string/],
      [{ values: null }, /^values must be a JSON object/],
      [{ values: { bastion_password: MASK, fresh: MASK }, secured_keys: ['bastion_password', 'fresh'] }, /^values\.fresh: '\*{7}' stands for a stored secret/],
    ] as const) {
      const res = await http.put(`${P}/${id}`).set('Authorization', A).send(body);
      expect([res.status, res.body.error.message]).toEqual([400, expect.stringMatching(message)]);
    }
    await http.get(`${P}/not-a-uuid`).set('Authorization', A).expect(404);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await http.get('/docs-json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([P, `${P}/{id}`]));
  });
});
