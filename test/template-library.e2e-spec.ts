import request from 'supertest';
import { asaTemplateContent, escService, fixture } from './support/payloads';
import { Stack, startStack, TENANT_A, TENANT_B } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const B = `Bearer ${TENANT_B.token}`;
const T = '/cam/api/v1/templates';

describe('template library: versions, filters, hostile XML, placeholder advice', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  const create = (body: Record<string, unknown>, auth = A) => http.post(T).set('Authorization', auth).send({ type: 'ESC', ...body });
  const templateCount = async () => Number((await stack.db.query('SELECT count(*)::int AS n FROM esc_template')).rows[0].n);

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
  });
  afterAll(() => stack?.close());

  it('stores a new version of a template under its name, and lists by name, resource and version', async () => {
    const first = (await create({ name: 'lib-asa', version: '1.0', content: asaTemplateContent() }).expect(201)).body;
    expect(first.warning).toEqual([]);
    const second = await http.post(`${T}/${first.id}/versions`).set('Authorization', A).send({ version: '1.1', content: asaTemplateContent() }).expect(201);
    expect(second.body).toMatchObject({ name: 'lib-asa', version: '1.1', resource: 'esc_datamodel' });
    await http.post(`${T}/${first.id}/versions`).set('Authorization', A).send({ version: '1.1', content: asaTemplateContent() }).expect(409);
    await create({ name: 'lib-tenant', version: '1', content: fixture('esc/tenant_create.request.xml') }).expect(201);
    await create({ name: 'lib-stop', version: '1', content: fixture('esc/service_operation_stop.request.xml') }).expect(201);

    const names = async (q: string) => (await http.get(`${T}?${q}`).set('Authorization', A).expect(200)).body.map((t: { name: string; version: string }) => `${t.name}@${t.version}`);
    expect(await names('filter[where][name]=lib-asa')).toEqual(['lib-asa@1.0', 'lib-asa@1.1']);
    expect(await names('filter[where][resource]=tenant')).toEqual(['lib-tenant@1']);
    expect(await names('filter[where][resource]=service_operation')).toEqual(['lib-stop@1']);
    expect(await names('filter[where][name]=lib-asa&filter[where][version]=1.1')).toEqual(['lib-asa@1.1']);
    expect(await names('filter[where][type]=Terraform')).toEqual([]);
    expect(await names('filter[where][name]=lib-asa&filter[order]=name%20DESC')).toEqual(['lib-asa@1.1', 'lib-asa@1.0']);
    expect((await http.get(`${T}?filter[where][content]=x`).set('Authorization', A).expect(400)).body.error.message).toContain("cannot be filtered by 'content'");
    expect((await http.get(T).set('Authorization', B).expect(200)).body).toEqual([]);
    await http.post(`${T}/${first.id}/versions`).set('Authorization', B).send({ version: '2', content: asaTemplateContent() }).expect(404);
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE x [<!ELEMENT x ANY>]><tenant><name>t</name></tenant>', 'content: a DOCTYPE is not allowed'],
    ['an external entity', '<!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><tenant><name>&xxe;</name></tenant>', 'content: a DOCTYPE is not allowed'],
    ['a billion laughs', `<!DOCTYPE l [<!ENTITY a "aaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY a${i + 1} "${'&a' + (i || '') + ';'}${'&a' + (i || '') + ';'}">`).join('')}]><tenant><name>&a9;</name></tenant>`, 'content: a DOCTYPE is not allowed'],
    ['deep nesting', `<tenant><name>t</name>${'<x>'.repeat(100)}${'</x>'.repeat(100)}</tenant>`, 'content: elements are nested more than 64 levels deep'],
    ['too many attributes', `<tenant ${Array.from({ length: 300 }, (_, i) => `a${i}="1"`).join(' ')}><name>t</name></tenant>`, 'content: an element has 300 attributes'],
    ['an invalid character', '<tenant><name>t\u0007</name></tenant>', 'content: character U+0007'],
    ['a root that is no ESC resource', '<html><body/></html>', 'root element <html> is not an ESC resource'],
  ])('refuses %s with a 400 naming the rule, storing nothing', async (_what, content, message) => {
    const before = await templateCount();
    const res = await create({ name: `hostile-${Date.now()}`, version: '1', content });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
    expect(await templateCount()).toBe(before);
  });

  it('warns about text that looks like a mistyped placeholder beside real ones', async () => {
    const content = asaTemplateContent().replace('<name>MyDemoDepName</name>', '<name>dep-$suffix}-{region}</name>');
    const res = await create({ name: 'typos', version: '1', content }).expect(201);
    expect(res.body.warning).toEqual([expect.stringContaining("'$suffix}' looks like a mistyped placeholder"), expect.stringContaining("'{region}' looks like a mistyped placeholder")]);
  });

  it('refuses to delete a template a service version uses, naming the versions', async () => {
    const t = (await create({ name: 'asa-deployment', version: '1.0', content: asaTemplateContent() }).expect(201)).body;
    await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('uses the template')).expect(200);
    const res = await http.delete(`${T}/${t.id}`).set('Authorization', A).expect(409);
    expect(res.body.error.message).toContain("is used by service version(s) 'uses the template' 1.0.0.0");
  });
});
