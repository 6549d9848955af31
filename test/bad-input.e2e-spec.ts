import request from 'supertest';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { Stack, startStack, TENANT_A } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;

/** The ESC test service with its one step changed. */
function withStep(change: Record<string, unknown>) {
  const body = escService(`step-${Object.keys(change).join('-')}`);
  const entry = body.service.actions[0].flow.templates[0] as Record<string, Record<string, unknown>>;
  Object.assign(entry['ASA on ESC'], change);
  return body;
}

/** Nothing a client can send gets a 500: each of these is a 4xx whose message names the problem. */
describe('bad input never yields a 500', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let manifestId: string;

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    manifestId = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('bad-input ASA')).expect(200)).body.serviceManifestId;
  });
  afterAll(() => stack?.close());

  const cases: Array<[string, string, string, unknown, RegExp]> = [
    ['template with a NUL character', 'POST', '/cam/api/v1/templates', { name: 'a\u0000b', version: '1', type: 'ESC', content: '<tenant><name>t</name></tenant>' }, /name/],
    ['template content not a string', 'POST', '/cam/api/v1/templates', { name: 'n', version: '1', type: 'ESC', content: 42 }, /content must be a string/],
    ['template body an array', 'POST', '/cam/api/v1/templates', [1, 2], /name/],
    ['service body an array', 'POST', '/cam/composer/api/v1/Service/createService', [], /service: is required/],
    ['service with a NUL in its name', 'POST', '/cam/composer/api/v1/Service/createService', escService('x\u0000y'), /service\.catalog_metadata\.name/],
    ['service action flow not an object', 'POST', '/cam/composer/api/v1/Service/createService', { service: { catalog_metadata: { name: 'f' }, actions: [{ name: 'P', type: 'provision', flow: 'x' }] } }, /service\.actions\[0\]\.flow: must be an object/],
    ['deploy name not a string', 'POST', 'DEPLOY', { name: 5 }, /name must be a string/],
    ['deploy specification without value', 'POST', 'DEPLOY', { name: 'x', resourceProperties: { specifications: [{ name: 'image' }] } }, /resourceProperties\.specifications\.0\.value/],
    ['deploy specifications not an array', 'POST', 'DEPLOY', { name: 'x', resourceProperties: { specifications: 'image=a' } }, /resourceProperties\.specifications must be an array/],
    ['deploy with a NUL in the name', 'POST', 'DEPLOY', deployBody('a\u0000b', { image: 'x' }), /name/],
    ['deploy of an unknown action', 'POST', 'DEPLOY', deployBody('a', { image: 'x' }, { action: 'Destroy' }), /action: service version '1\.0\.0\.0' has no action 'Destroy'/],
    ['template with two root elements', 'POST', '/cam/api/v1/templates', { name: 'two', version: '1', type: 'ESC', content: '<tenant><name>a</name></tenant><tenant><name>b</name></tenant>' }, /Multiple possible root nodes|one root element/],
    ['service author not a string', 'POST', '/cam/composer/api/v1/Service/createService', { service: { catalog_metadata: { name: 'a5', author: 5 }, actions: [] } }, /service\.catalog_metadata\.author: must be a string/],
    ['service step version a number', 'POST', '/cam/composer/api/v1/Service/createService', withStep({ version: 1.0 }), /\.version: must be a string \(write "1\.0", not 1\.0\)/],
    ['service step template_name an array', 'POST', '/cam/composer/api/v1/Service/createService', withStep({ template_name: ['x'] }), /\.template_name: must be a string/],
  ];

  it.each(cases)('%s', async (_what, method, path, body, message) => {
    const url = path === 'DEPLOY' ? `/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy` : path;
    const res = await http[method.toLowerCase() as 'post'](url).set('Authorization', A).send(body as object);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('answers 4xx to bodies the parser refuses: bad charset, bad encoding, lone surrogates, absurd nesting', async () => {
    const charset = await http.post('/cam/api/v1/templates').set('Authorization', A).set('Content-Type', 'application/json; charset=foo').send('{}');
    expect(charset.status).toBe(415);
    const encoding = await http.post('/cam/api/v1/templates').set('Authorization', A).set('Content-Type', 'application/json').set('Content-Encoding', 'foo').send('{}');
    expect(encoding.status).toBe(415);
    const json = await http.post('/cam/api/v1/templates').set('Authorization', A).set('Content-Type', 'application/json').send('{"name": ');
    expect(json.status).toBe(400);
    expect(json.body.error.code).toBe('INVALID_INPUT');
    const surrogate = await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).set('Content-Type', 'application/json').send('{"name": "x\\ud800y"}');
    expect(surrogate.status).toBe(400);
    expect(surrogate.body.error.message).toBe('body.name: must not contain a lone UTF-16 surrogate (invalid Unicode)');
    const deep = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).set('Content-Type', 'application/json').send(`{"service": ${'['.repeat(50_000)}${']'.repeat(50_000)}}`);
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toMatch(/nested more than 64 levels deep/);
  });

  it('checks the render at deploy: a placeholder named like an Object method, an empty deployment name', async () => {
    const content = asaTemplateContent().replace('<name>MyDemoDepName</name>', '<name>${dep_name}</name>').replace('<reboot_time>100</reboot_time>', '<reboot_time>${toString}</reboot_time>');
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'tricky', version: '1', type: 'ESC', content }).expect(201);
    const service = withStep({ template_name: 'tricky', version: '1' });
    const step = (service.service.actions[0].flow.templates[0] as Record<string, { template_params: Record<string, string> }>)['ASA on ESC'];
    step.template_params.dep_name = '${input_parameters.mgmt_ip}';
    const created = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(service).expect(200);
    expect(created.body.warning).toEqual([expect.stringContaining('no value for placeholder(s) ${toString}')]);
    const url = `/cam/composer/api/v1/ServiceManifest/${created.body.serviceManifestId}/deploy`;
    const noValue = await http.post(url).set('Authorization', A).send(deployBody('t1', { image: 'x', mgmt_ip: 'n' }));
    expect(noValue.status).toBe(400);
    expect(noValue.body.error.message).toContain('no value for placeholder(s) ${toString}');
    Object.assign(step.template_params, { toString: '5' });
    const fixed = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send({ service: { ...service.service, catalog_metadata: { ...service.service.catalog_metadata, name: 'tricky-2' } } }).expect(200);
    const empty = await http.post(`/cam/composer/api/v1/ServiceManifest/${fixed.body.serviceManifestId}/deploy`).set('Authorization', A).send(deployBody('t2', { image: 'x', mgmt_ip: ' ' }));
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain("step 'escasa0001': tenants/tenant/deployments/deployment/name is required");
  });

  it('masks secured parameter defaults in every answer', async () => {
    const service = escService('secret defaults');
    (service.service.actions[0].input_parameters[2] as Record<string, unknown>).default = 'topsecret-default';
    const created = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(service).expect(200);
    expect(JSON.stringify(created.body)).not.toContain('topsecret-default');
    const manifest = await http.get(`/cam/composer/api/v1/ServiceManifest/${created.body.serviceManifestId}`).set('Authorization', A);
    expect(JSON.stringify(manifest.body)).not.toContain('topsecret-default');
    expect(manifest.body.actions[0].input_parameters[2].default).toBe('*******');
    expect(JSON.stringify((await http.get('/cam/composer/api/v1/service').set('Authorization', A)).body)).not.toContain('topsecret-default');
  });

  it('answers a callback with a body that is not XML, and records it as unusable', async () => {
    // a real request's token: deploy, then post garbage to its callback URL
    const id = (await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody('garbage-cb', { image: 'x' })).expect(200)).body.id;
    const token = await (async () => {
      for (let i = 0; i < 200; i++) {
        const { rows } = await stack.db.query('SELECT r.callback_token FROM esc_request r JOIN esc_resource s ON s.id = r.esc_resource_id WHERE s.service_instance_id = $1', [id]);
        if (rows[0]) return rows[0].callback_token as string;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('no ESC request was made');
    })();
    const res = await http.post(`/esc/callbacks/${token}`).set('Content-Type', 'application/xml').send('<deployment><oops></deployment>');
    expect(res.status).toBe(200);
    const { rows } = await stack.db.query("SELECT detail FROM esc_callback WHERE body = '<deployment><oops></deployment>'");
    expect(rows[0].detail).toMatch(/not well-formed XML/);
  });
});
