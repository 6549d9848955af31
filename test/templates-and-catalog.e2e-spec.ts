import request from 'supertest';
import { asaTemplateContent, escService, jsonFixture } from './support/payloads';
import { Stack, startStack, TENANT_A, TENANT_B } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const B = `Bearer ${TENANT_B.token}`;

describe('template library and service catalog (gateway over HTTP, PostgreSQL, Redis)', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
  });
  afterAll(() => stack?.close());

  describe('POST /cam/api/v1/templates', () => {
    it('stores an ESC datamodel template and reports its placeholders', async () => {
      const res = await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'lib-asa', version: '1.0', type: 'ESC', content: asaTemplateContent() });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'lib-asa', version: '1.0', type: 'ESC', resource: 'esc_datamodel', placeholders: ['esc_tenant', 'image', 'mgmt_ip'] });
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);

      const one = await http.get(`/cam/api/v1/templates/${res.body.id}`).set('Authorization', A);
      expect(one.status).toBe(200);
      expect(one.body.content).toBe(asaTemplateContent());
      const list = await http.get('/cam/api/v1/templates').set('Authorization', A);
      expect(list.body.map((t: { id: string }) => t.id)).toContain(res.body.id);
    });

    it('answers 400 with the parser message for malformed XML, and stores nothing', async () => {
      const res = await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'broken', version: '1', type: 'ESC', content: '<esc_datamodel><tenants></esc_datamodel>' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^content: malformed XML: Expected closing tag 'tenants'/);
      const list = await http.get('/cam/api/v1/templates').set('Authorization', A);
      expect(list.body.map((t: { name: string }) => t.name)).not.toContain('broken');
    });

    it('answers 400 for a root element that is not an ESC resource', async () => {
      const res = await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'html', version: '1', type: 'ESC', content: '<html><body/></html>' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('root element <html> is not an ESC resource');
    });

    it('names the field and the rule for a bad body', async () => {
      const res = await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'x', version: '1', type: 'Terraform', content: '<tenant/>' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe("type must be 'ESC'");
      const junk = await http.post('/cam/api/v1/templates').set('Authorization', A).set('Content-Type', 'application/json').send('{"name": ');
      expect(junk.status).toBe(400);
    });

    it('refuses a second template with the same name and version (409) and deletes one (204, then 404)', async () => {
      const body = { name: 'dup', version: '1', type: 'ESC', content: '<tenant><name>t</name></tenant>' };
      const first = await http.post('/cam/api/v1/templates').set('Authorization', A).send(body);
      expect(first.status).toBe(201);
      expect((await http.post('/cam/api/v1/templates').set('Authorization', A).send(body)).status).toBe(409);
      expect((await http.delete(`/cam/api/v1/templates/${first.body.id}`).set('Authorization', A)).status).toBe(204);
      expect((await http.get(`/cam/api/v1/templates/${first.body.id}`).set('Authorization', A)).status).toBe(404);
      expect((await http.delete(`/cam/api/v1/templates/${first.body.id}`).set('Authorization', A)).status).toBe(404);
    });
  });

  describe('POST /cam/composer/api/v1/Service/createService', () => {
    it("accepts CAM's own service_create.json verbatim and answers like CAM, warnings included", async () => {
      const seed = jsonFixture('cam/service_create.request.json');
      const res = await http.post('/cam/composer/api/v1/Service/createService?tenantId=tenant-a&ace_orgGuid=all&cloudOE_spaceGuid=default').set('Authorization', A).send(seed);
      expect(res.status).toBe(200);
      const expected = jsonFixture<Record<string, unknown>>('cam/service_create.response.json');
      // every top-level field of CAM's answer is there
      expect(Object.keys(res.body).sort()).toEqual(expect.arrayContaining(Object.keys(expected).filter((k) => k !== 'tag').sort()));
      expect(res.body).toMatchObject({ name: 'SampleV1', author: 'admin', image: 'serviceicon_1.svg', status: '', tenantId: 'tenant-a', namespaceId: 'default' });
      expect(res.body.defaultServiceVersion).toMatchObject({ version: '1.0.0.0', status: 'Draft', specVersion: 'v3', service_id: res.body.id });
      expect(res.body.defaultServiceVersion.ServiceEngine_InputFile.service.catalog_metadata.category).toBe('CloudServices');
      expect(res.body.serviceManifestId).toBe(res.body.defaultServiceVersion.id);
      expect(res.body.warning.slice(0, 2)).toEqual((expected as { warning: string[] }).warning);
      // the same words as deploy's 400 (one checker serves both)
      expect(res.body.warning[2]).toBe("Action 'Provision', step 'singlevi23cd3149': template 'SingleVirtualMachine' is of type 'Terraform'; only 'ESC' templates can run on ESC \n");
      expect(res.body.warning).toHaveLength(3);
    });

    it('accepts a service with one ESC step without warnings, then publishes it', async () => {
      await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
      const res = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA firewall'));
      expect(res.status).toBe(200);
      expect(res.body.warning).toEqual([]);
      const published = await http.post(`/cam/composer/api/v1/ServiceManifest/${res.body.serviceManifestId}/publish`).set('Authorization', A);
      expect(published.status).toBe(200);
      expect(published.body).toMatchObject({ id: res.body.serviceManifestId, status: 'Published', version: '1.0.0.0' });
      expect(published.body.publishedTime).toBeDefined();
      const manifest = await http.get(`/cam/composer/api/v1/ServiceManifest/${res.body.serviceManifestId}`).set('Authorization', A);
      expect(manifest.body.status).toBe('Published');
      const list = await http.get('/cam/composer/api/v1/service').set('Authorization', A);
      expect(list.body.find((s: { name: string }) => s.name === 'ASA firewall')).toMatchObject({ status: 'Published', serviceManifestId: res.body.serviceManifestId });
    });

    it('refuses to delete a template a service version uses', async () => {
      const used = (await http.get('/cam/api/v1/templates').set('Authorization', A)).body.find((t: { name: string }) => t.name === 'asa-deployment');
      const res = await http.delete(`/cam/api/v1/templates/${used.id}`).set('Authorization', A);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe("template 'asa-deployment' 1.0 is used by service version(s) 'ASA firewall' 1.0.0.0; remove it from their flows first");
    });

    it('warns about step parameters that refer to parameters nothing defines', async () => {
      const body = escService('typo in reference');
      body.service.actions[0].flow.templates[0]['ASA on ESC'].template_params.image = '${input_parameters.img}';
      const res = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(body).expect(200);
      expect(res.body.warning).toEqual([expect.stringContaining("template_params refer to ${input_parameters.img}, which neither the action's input parameters nor any plan defines")]);
    });

    it('says so when a body is not sent as JSON', async () => {
      const res = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).set('Content-Type', 'application/x-www-form-urlencoded').send('service=x');
      expect(res.status).toBe(415);
      expect(res.body.error.message).toBe('the request body must be JSON, sent with Content-Type: application/json (got application/x-www-form-urlencoded)');
    });

    it('warns when an ESC step names a template the library does not have', async () => {
      const res = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ghost', { name: 'nope', version: '9' }));
      expect(res.status).toBe(200);
      expect(res.body.warning).toEqual([expect.stringContaining("ESC template 'nope' version '9' is not in the template library")]);
    });

    it('answers 400 naming the field for a malformed service, and 409 for a duplicate name', async () => {
      const bad = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send({ service: { catalog_metadata: { name: 'x' }, actions: 'nope' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe('service.actions: is required and must be an array');
      const dup = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA firewall'));
      expect(dup.status).toBe(409);
    });
  });

  describe('authentication and tenancy', () => {
    it('answers 401 without a token or with an unknown one', async () => {
      expect((await http.get('/cam/composer/api/v1/ServiceInstances')).status).toBe(401);
      expect((await http.get('/cam/composer/api/v1/ServiceInstances').set('Authorization', 'Bearer nope')).status).toBe(401);
      expect((await http.get('/cam/api/v1/templates').set('Authorization', 'Basic YTpi')).status).toBe(401);
    });

    it('answers 403 when tenantId is not the token tenant', async () => {
      const res = await http.get('/cam/composer/api/v1/ServiceInstances?tenantId=tenant-b').set('Authorization', A);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain("tenantId 'tenant-b' is not the tenant of this token");
    });

    it("hides one tenant's templates and services from another (404, empty lists)", async () => {
      const t = await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'private', version: '1', type: 'ESC', content: '<tenant><name>t</name></tenant>' });
      expect((await http.get(`/cam/api/v1/templates/${t.body.id}`).set('Authorization', B)).status).toBe(404);
      expect((await http.delete(`/cam/api/v1/templates/${t.body.id}`).set('Authorization', B)).status).toBe(404);
      expect((await http.get('/cam/api/v1/templates').set('Authorization', B)).body).toEqual([]);
      const s = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('tenant-a only'));
      expect((await http.get(`/cam/composer/api/v1/ServiceManifest/${s.body.serviceManifestId}`).set('Authorization', B)).status).toBe(404);
      expect((await http.post(`/cam/composer/api/v1/ServiceManifest/${s.body.serviceManifestId}/publish`).set('Authorization', B)).status).toBe(404);
      expect((await http.post(`/cam/composer/api/v1/ServiceManifest/${s.body.serviceManifestId}/deploy`).set('Authorization', B).send({ name: 'x' })).status).toBe(404);
      expect((await http.get('/cam/composer/api/v1/service').set('Authorization', B)).body).toEqual([]);
    });

    it('points at the version id when a service id is used to deploy', async () => {
      const s = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('deploy by service id')).expect(200);
      const res = await http.post(`/cam/composer/api/v1/ServiceManifest/${s.body.id}/deploy`).set('Authorization', A).send({ name: 'x' });
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain(`that is the id of service 'deploy by service id'; deploy one of its versions (its default version, the serviceManifestId, is '${s.body.serviceManifestId}')`);
    });

    it('answers 404 for ids that are not ids', async () => {
      expect((await http.get('/cam/composer/api/v1/ServiceInstances/not-a-uuid').set('Authorization', A)).status).toBe(404);
      expect((await http.get('/cam/composer/api/v1/ServiceManifest/5df37c4ba051bd001d161162').set('Authorization', A)).status).toBe(404);
    });
  });

  describe('operations', () => {
    it('GET /health reports PostgreSQL and Redis', async () => {
      const res = await http.get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, queue: { status: 'up', backend: stack.queue.backend } } });
    });

    it('serves the queue dashboard (Bull Board, read-only) at /queues, behind the API tokens', async () => {
      const refused = await http.get('/queues');
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toMatch(/^Basic /);
      expect((await http.get('/queues').auth('anyone', 'not-a-token')).status).toBe(401);
      // a browser: Basic, with the token as the password
      const page = await http.get('/queues').auth('operator', 'token-a');
      expect(page.status).toBe(200);
      expect(page.text).toContain('cam-esc-gateway queues');
      const api = await http.get('/queues/api/queues').set('Authorization', A);
      expect(api.status).toBe(200);
      const queues = api.body.queues as Array<{ name: string; readOnlyMode: boolean }>;
      expect(queues.map((q) => q.name).sort()).toEqual(['catalog', 'esc-callbacks', 'flow']);
      expect(queues.every((q) => q.readOnlyMode)).toBe(true);
    });

    it('serves the OpenAPI document at /docs', async () => {
      const page = await http.get('/docs');
      expect(page.status).toBe(200);
      expect(page.text).toContain('swagger-ui');
      const script = /<script src="\.?\/?([^"]+swagger-ui-bundle\.js)"/.exec(page.text)?.[1];
      expect(script).toBeDefined();
      expect((await http.get(script!.startsWith('docs/') ? `/${script}` : `/docs/${script}`)).status).toBe(200);
      const res = await http.get('/docs-json');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/cam/api/v1/templates', '/cam/composer/api/v1/ServiceManifest/{id}/deploy', '/cam/composer/api/v1/ServiceInstances/{id}/terminate']));
    });

    it('documents, for every CAM and template operation, its success and its error answers with their schemas', async () => {
      const doc = (await http.get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> };
      const lacking: string[] = [];
      for (const [path, ops] of Object.entries(doc.paths)) {
        if (!path.startsWith('/cam/')) continue;
        for (const [method, op] of Object.entries(ops)) {
          const codes = Object.keys(op.responses ?? {});
          const ok = codes.find((c) => /^2/.test(c));
          const errors = codes.filter((c) => /^[45]/.test(c));
          const withSchema = (c: string) => Object.values(op.responses![c].content ?? {}).some((m) => m.schema) || c === '204';
          if (!ok || !withSchema(ok) || !errors.includes('401') || !errors.every(withSchema)) lacking.push(`${method.toUpperCase()} ${path}: ${codes.join(',')}`);
        }
      }
      expect(lacking).toEqual([]);
      // the seed's own example is what a portal developer sees for createService
      const create = doc.paths['/cam/composer/api/v1/Service/createService'].post as unknown as { requestBody: { content: Record<string, { examples?: Record<string, { value: unknown }> }> } };
      expect(create.requestBody.content['application/json'].examples?.['CAM seed'].value).toEqual(jsonFixture('cam/service_create.request.json'));
    });

    it('refuses callbacks with an unknown token', async () => {
      const res = await http.post('/esc/callbacks/not-a-token').set('Content-Type', 'application/xml').send('<deployment/>');
      expect(res.status).toBe(404);
    });
  });
});
