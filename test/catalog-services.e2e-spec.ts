import { Queue } from 'bullmq';
import request from 'supertest';
import { asaTemplateContent, deployBody, escService, jsonFixture } from './support/payloads';
import { Stack, startStack, TENANT_A, TENANT_B, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const B = `Bearer ${TENANT_B.token}`;
const API = '/cam/composer/api/v1';

/** Every CAM service and version call, with the seed's payloads where it has them, and a bad input each. */
describe('CAM service and version calls (gateway over HTTP, PostgreSQL, queue)', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  const post = (path: string, body: unknown = {}, auth = A) => http.post(`${API}/${path}`).set('Authorization', auth).send(body as object);
  const get = (path: string, auth = A) => http.get(`${API}/${path}`).set('Authorization', auth);
  const rowCount = async (table: string) => Number((await stack.db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
  let n = 0;
  const newService = async (name = `svc-${++n}`) => (await post('Service/createService', escService(name)).expect(200)).body;

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
  });
  afterAll(() => stack?.close());

  describe('addServiceVersion', () => {
    it("adds the seed's version (its name, category and image stay the service's) and refuses a version label it has", async () => {
      const created = await post('Service/createService', jsonFixture('cam/service_create.request.json')).expect(200);
      const res = await post(`Service/${created.body.id}/addServiceVersion`, jsonFixture('cam/service_version_add.request.json')).expect(200);
      const seed = jsonFixture<Record<string, unknown>>('cam/service_version_add.response.json');
      expect(Object.keys(res.body)).toEqual(expect.arrayContaining(Object.keys(seed)));
      expect(res.body).toMatchObject({ version: '1.0.0.1', status: 'Draft', service_id: created.body.id, serviceInstanceCount: 0 });
      expect(res.body.warning).toEqual([
        expect.stringContaining("step 'singlevi23cd3149': template 'SingleVirtualMachine' is of type 'Terraform'; only 'ESC' templates can run on ESC"),
        expect.stringContaining("step 'emailnot21410720': email notifications are not sent by this gateway"),
      ]);
      const versions = await post(`Service/${created.body.id}/addServiceVersion`, jsonFixture('cam/service_version_add.request.json')).expect(409);
      expect(versions.body.error.message).toContain("already has a version '1.0.0.1'");
    });

    it("keeps the service's name when a version names another, and says so", async () => {
      const svc = await newService();
      const body = escService('some other name');
      body.service.version = '2.0';
      const res = await post(`Service/${svc.id}/addServiceVersion`, body).expect(200);
      expect(res.body.ServiceEngine_InputFile.service.catalog_metadata.name).toBe(svc.name);
      expect(res.body.warning).toEqual([expect.stringContaining("catalog_metadata.name 'some other name' is not the service's")]);
    });

    it('is a 400 naming the field for a malformed document, and a 404 for an unknown service, writing nothing', async () => {
      const svc = await newService();
      const before = await rowCount('service_version');
      expect((await post(`Service/${svc.id}/addServiceVersion`, { service: { catalog_metadata: { name: 'x' }, actions: 'no' } }).expect(400)).body.error.message).toContain('service.actions: is required and must be an array');
      await post('Service/00000000-0000-4000-8000-000000000000/addServiceVersion', escService('x')).expect(404);
      await post(`Service/${svc.id}/addServiceVersion`, escService('x'), B).expect(404);
      expect(await rowCount('service_version')).toBe(before);
    });
  });

  describe('updateServiceDetails', () => {
    it('sets the default version by name or by id, renames, changes category and image, answering { service }', async () => {
      const svc = await newService();
      const v2 = { ...escService(svc.name) };
      v2.service.version = '2.0.0.0';
      const added = (await post(`Service/${svc.id}/addServiceVersion`, v2).expect(200)).body;
      const byName = await post(`Service/${svc.id}/updateServiceDetails`, { default_version_name: '2.0.0.0' }).expect(200);
      expect(Object.keys(byName.body.service)).toEqual(expect.arrayContaining(Object.keys(jsonFixture<{ service: object }>('cam/service_update_details.response.json').service).filter((k) => k !== 'tag')));
      expect(byName.body.service.serviceManifestId).toBe(added.id);
      const byId = await post(`Service/${svc.id}/updateServiceDetails`, { default_version_id: svc.serviceManifestId }).expect(200);
      expect(byId.body.service.serviceManifestId).toBe(svc.serviceManifestId);

      const renamed = await post(`Service/${svc.id}/updateServiceDetails`, { service: { catalog_metadata: { name: `${svc.name}-renamed` } } }).expect(200);
      expect(renamed.body.service.name).toBe(`${svc.name}-renamed`);
      await post(`Service/${svc.id}/updateServiceDetails`, { service: { catalog_metadata: { category: 'Firewalls' } } }).expect(200);
      const image = await post(`Service/${svc.id}/updateServiceDetails`, { service: { catalog_metadata: { image: 'serviceicon_2.svg' } } }).expect(200);
      expect(image.body.service).toMatchObject({ image: 'serviceicon_2.svg', category: 'Firewalls' });
      // every version's document follows the service
      const manifest = (await get(`ServiceManifest/${added.id}`).expect(200)).body;
      expect(manifest.ServiceEngine_InputFile.service.catalog_metadata).toMatchObject({ name: `${svc.name}-renamed`, category: 'Firewalls', image: 'serviceicon_2.svg' });
    });

    it.each([
      [{ default_version_name: '9.9' }, "default_version_name: service '%s' has no version '9.9'"],
      [{ default_version_id: '00000000-0000-4000-8000-000000000000' }, 'default_version_id: '],
      [{ default_version_id: 'a', default_version_name: 'b' }, 'give default_version_id or default_version_name, not both'],
      [{ service: { catalog_metadata: { description: 'x' } } }, 'service.catalog_metadata.description: cannot be changed here'],
      [{ service: { catalog_metadata: { name: '' } } }, 'service.catalog_metadata.name: must be a non-empty string'],
      [{}, 'nothing to change'],
    ])('refuses %j with a 400 naming the field', async (body, message) => {
      const svc = await newService();
      const res = await post(`Service/${svc.id}/updateServiceDetails`, body).expect(400);
      expect(res.body.error.message).toContain(message.replace('%s', svc.name));
    });

    it('is a 409 for a name another service has', async () => {
      const [a, b] = [await newService(), await newService()];
      expect((await post(`Service/${a.id}/updateServiceDetails`, { service: { catalog_metadata: { name: b.name } } }).expect(409)).body.error.message).toContain(`a service named '${b.name}' already exists`);
    });
  });

  describe('updateServiceVersion', () => {
    it("edits a version with the seed's edit payload", async () => {
      const created = await post('Service/createService', { service: { ...jsonFixture<{ service: Record<string, unknown> }>('cam/service_create.request.json').service, catalog_metadata: { name: 'edit-me' } } }).expect(200);
      const res = await post(`ServiceManifest/${created.body.serviceManifestId}/updateServiceVersion`, jsonFixture('cam/service_version_edit.request.json')).expect(200);
      expect(res.body).toMatchObject({ id: created.body.serviceManifestId, version: '1.0.0.1', status: 'Draft', serviceInstanceCount: 0 });
      expect(res.body.ServiceEngine_InputFile.service.catalog_metadata.name).toBe('edit-me');
    });

    it("refuses to change a Published version's flows while live instances run on them, and allows it after they are gone", async () => {
      const svc = await newService();
      await post(`ServiceManifest/${svc.serviceManifestId}/publish`).expect(200);
      const instance = (await post(`ServiceManifest/${svc.serviceManifestId}/deploy`, deployBody('live-1', { image: 'ASA' })).expect(200)).body;
      const edited = escService(svc.name);
      (edited.service.actions[0].input_parameters as object[]).push({ name: 'extra', label: 'Extra', type: 'string', customtype: 'string', required: false, secured: false, default: '' });
      const res = await post(`ServiceManifest/${svc.serviceManifestId}/updateServiceVersion`, edited).expect(409);
      expect(res.body.error.message).toContain('is Published and 1 live instance(s) run on its flows');
      expect((await get(`ServiceManifest/${svc.serviceManifestId}`).expect(200)).body.serviceInstanceCount).toBe(1);
      // descriptions may change meanwhile
      const described = escService(svc.name);
      described.service.catalog_metadata.description = 'new words';
      await post(`ServiceManifest/${svc.serviceManifestId}/updateServiceVersion`, described).expect(200);

      await waitFor(async () => (await get(`ServiceInstances/${instance.id}`)).body.Status, (s) => s === 'Active', 'Active');
      await post(`ServiceInstances/${instance.id}/terminate`).expect(200);
      await waitFor(async () => (await get(`ServiceInstances/${instance.id}`)).body.Status, (s) => s === 'Terminated', 'Terminated');
      await post(`ServiceManifest/${svc.serviceManifestId}/updateServiceVersion`, edited).expect(200);
    });

    it('is a 400 for a malformed document and a 409 for a label another version has, changing nothing', async () => {
      const svc = await newService();
      const v2 = escService(svc.name);
      v2.service.version = '2.0';
      await post(`Service/${svc.id}/addServiceVersion`, v2).expect(200);
      await post(`ServiceManifest/${svc.serviceManifestId}/updateServiceVersion`, { service: 'x' }).expect(400);
      await post(`ServiceManifest/${svc.serviceManifestId}/updateServiceVersion`, v2).expect(409);
      expect((await get(`ServiceManifest/${svc.serviceManifestId}`)).body.version).toBe('1.0.0.0');
    });
  });

  describe('deleteService and ServiceVersions', () => {
    it('lists versions in the order asked, deletes one by id and one by label (the default moves), then the service with {"count"}', async () => {
      const svc = await newService();
      for (const version of ['1.1', '1.2']) {
        const body = escService(svc.name);
        body.service.version = version;
        await post(`Service/${svc.id}/addServiceVersion`, body).expect(200);
      }
      const desc = (await get(`Service/${svc.id}/ServiceVersions?filter[order]=updated_time%20DESC`).expect(200)).body;
      expect(desc.map((v: { version: string }) => v.version)).toEqual(['1.2', '1.1', '1.0.0.0']);
      expect(Object.keys(desc[0])).toEqual(expect.arrayContaining(Object.keys(jsonFixture<object[]>('cam/service_versions.response.json')[1]).filter((k) => !['tagId', 'publishedTime'].includes(k)))); // Drafts: not published yet
      const byVersion = (await get(`Service/${svc.id}/ServiceVersions?filter[order]=version%20ASC&filter[limit]=2`).expect(200)).body;
      expect(byVersion.map((v: { version: string }) => v.version)).toEqual(['1.0.0.0', '1.1']);

      await post(`Service/${svc.id}/deleteService`, { version_id: svc.serviceManifestId }).expect(200);
      const after = (await get('service?filter[where][name]=' + encodeURIComponent(svc.name)).expect(200)).body;
      expect(after[0].serviceManifestId).toBe(desc[0].id); // the newest became the default
      await post(`Service/${svc.id}/deleteService`, { version: '1.1' }).expect(200);
      expect((await get(`Service/${svc.id}/ServiceVersions`)).body.map((v: { version: string }) => v.version)).toEqual(['1.2']);
      const gone = await post(`Service/${svc.id}/deleteService`, jsonFixture('cam/service_delete.request.json')).expect(200);
      expect(gone.body).toEqual(jsonFixture('cam/service_delete.response.json'));
      await get(`Service/${svc.id}/ServiceVersions`).expect(404);
    });

    it('refuses to delete a version or a service that live instances run on, naming the count', async () => {
      const svc = await newService();
      const instance = (await post(`ServiceManifest/${svc.serviceManifestId}/deploy`, deployBody('keep-1', { image: 'ASA' })).expect(200)).body;
      expect((await post(`Service/${svc.id}/deleteService`, { version_id: svc.serviceManifestId }).expect(409)).body.error.message).toContain('has 1 live instance(s)');
      expect((await post(`Service/${svc.id}/deleteService`, {}).expect(409)).body.error.message).toContain('has 1 live instance(s)');
      await waitFor(async () => (await get(`ServiceInstances/${instance.id}`)).body.Status, (s) => s === 'Active', 'Active');
    });

    it.each([
      ['filter[order]=colour%20ASC', "filter[order]: this list cannot be ordered by 'colour'"],
      ['filter[order]=version%20SIDEWAYS', "filter[order]: must be '<field> ASC' or '<field> DESC'"],
      ['filter[limit]=-1', 'filter[limit]: must be a whole number of at least 1'],
      ['filter[limit]=ten', 'filter[limit]: must be a whole number'],
      ['filter[skip]=-3', 'filter[skip]: must be a whole number (0 or more)'],
      ['filter[where][version]=1', "filter[where][version]: this list cannot be filtered by 'version'"],
      ['filter[colour]=red', 'filter[colour]: is not a filter this list takes'],
    ])('is a 400 naming the filter for %s', async (query, message) => {
      const svc = await newService();
      expect((await get(`Service/${svc.id}/ServiceVersions?${query}`).expect(400)).body.error.message).toContain(message);
    });

    it('pages by keyset: a full page answers X-Next-Cursor, and filter[cursor] gives the next, in any order', async () => {
      for (let i = 0; i < 5; i++) await post('Service/createService', escService(`paged-${i}`), B).expect(200);
      for (const order of ['creationTime%20ASC', 'name%20DESC']) {
        const all = (await get(`service?filter[order]=${order}`, B).expect(200)).body.map((s: { name: string }) => s.name);
        expect(all).toHaveLength(5);
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const res = await get(`service?filter[order]=${order}&filter[limit]=2${cursor ? `&filter[cursor]=${cursor}` : ''}`, B).expect(200);
          seen.push(...res.body.map((s: { name: string }) => s.name));
          cursor = res.headers['x-next-cursor'];
        } while (cursor);
        expect(seen).toEqual(all);
      }
      expect((await get('service?filter[cursor]=garbage', B).expect(400)).body.error.message).toContain('filter[cursor]: must be the X-Next-Cursor of the previous page');
    });

    it('caps a limit above the maximum and says so in a header', async () => {
      const res = await get('service?filter[limit]=100000').expect(200);
      expect(res.headers['x-filter-limit-capped']).toBe('filter[limit]=100000 was capped to 500');
    });

    it.each([
      [{ version_id: 5 }, 'version_id: must be a non-empty string'],
      [{ version_id: 'a', version: 'b' }, 'give version_id or version, not both'],
      [{ versions: '1' }, 'versions: deleteService takes'],
    ])('is a 400 for %j', async (body, message) => {
      const svc = await newService();
      expect((await post(`Service/${svc.id}/deleteService`, body).expect(400)).body.error.message).toContain(message);
    });
  });

  describe('duplicateService and copyService', () => {
    it('duplicates a service with all its versions, as Drafts', async () => {
      const svc = await newService();
      const v2 = escService(svc.name);
      v2.service.version = '2.0';
      await post(`Service/${svc.id}/addServiceVersion`, v2).expect(200);
      await post(`ServiceManifest/${svc.serviceManifestId}/publish`).expect(200);
      const dup = await post(`Service/${svc.id}/duplicateService`, { service_name: `${svc.name}-copy` }).expect(200);
      expect(dup.body).toMatchObject({ name: `${svc.name}-copy`, warning: [] });
      expect(dup.body.id).not.toBe(svc.id);
      const versions = (await get(`Service/${dup.body.id}/ServiceVersions`).expect(200)).body;
      expect(versions.map((v: { version: string; status: string }) => [v.version, v.status])).toEqual([
        ['1.0.0.0', 'Draft'],
        ['2.0', 'Draft'],
      ]);
      expect(versions[0].ServiceEngine_InputFile.service.catalog_metadata.name).toBe(`${svc.name}-copy`);
      await post(`Service/${svc.id}/duplicateService`, { service_name: `${svc.name}-copy` }).expect(409);
      expect((await post(`Service/${svc.id}/duplicateService`, jsonFixture('cam/service_duplicate.request.json')).expect(200)).body.name).toBe('{{NEW-SERVICE-NAME}}');
      expect((await post(`Service/${svc.id}/duplicateService`, {}).expect(400)).body.error.message).toContain('service_name: is required');
    });

    it('copies a version into another service under a new label', async () => {
      const [from, to] = [await newService(), await newService()];
      const res = await post(`ServiceManifest/${from.serviceManifestId}/copyService`, { to_service_id: to.id, new_version_name: '1.0.0.2' }).expect(200);
      expect(res.body).toMatchObject({ version: '1.0.0.2', service_id: to.id, status: 'Draft', serviceInstanceCount: 0, warning: [] });
      expect(res.body.ServiceEngine_InputFile.service.catalog_metadata.name).toBe(to.name);
      expect(Object.keys(res.body)).toEqual(expect.arrayContaining(Object.keys(jsonFixture<object>('cam/service_version_copy.response.json'))));
      await post(`ServiceManifest/${from.serviceManifestId}/copyService`, { to_service_id: to.id, new_version_name: '1.0.0.2' }).expect(409);
      expect((await post(`ServiceManifest/${from.serviceManifestId}/copyService`, { to_service_id: to.id }).expect(400)).body.error.message).toContain('new_version_name: is required');
      expect((await post(`ServiceManifest/${from.serviceManifestId}/copyService`, { to_service_id: 'nope', new_version_name: '3' }).expect(400)).body.error.message).toContain("to_service_id: service 'nope' was not found");
    });
  });

  describe('setNamespaceId and the namespace filter of the list', () => {
    it("lists a namespace's services with the default namespace's, and those given access by setNamespaceId", async () => {
      const inDev = (await post('Service/createService?cloudOE_spaceGuid=dev', escService('ns-dev')).expect(200)).body;
      const inOps = (await post('Service/createService?cloudOE_spaceGuid=ops', escService('ns-ops')).expect(200)).body;
      const names = async (ns: string) => (await get(`service?cloudOE_spaceGuid=${ns}&filter[limit]=500`).expect(200)).body.map((s: { name: string }) => s.name);
      expect(await names('dev')).toContain('ns-dev');
      expect(await names('dev')).not.toContain('ns-ops');
      const inDefault = await newService();
      expect(await names('dev')).toContain(inDefault.name); // created in 'default'
      const res = await post(`Service/${inOps.id}/setNamespaceId?cloudOE_spaceGuid=dev,qa`).expect(200);
      expect(res.body.service.namespaceIds).toEqual(['ops', 'dev', 'qa']);
      expect(await names('dev')).toContain('ns-ops');
      expect(await names('qa')).not.toContain('ns-dev');
      expect(inDev.namespaceId).toBe('dev');
      expect((await post(`Service/${inOps.id}/setNamespaceId`).expect(400)).body.error.message).toContain('cloudOE_spaceGuid: give the namespaces');
      expect((await post(`Service/${inOps.id}/setNamespaceId?cloudOE_spaceGuid=a%20b`).expect(400)).body.error.message).toContain("'a b' is not a namespace id");
    });
  });

  it("lists a team's services (ace_orgGuid) with those made for every team", async () => {
    await post('Service/createService?ace_orgGuid=team-red', escService('org-red'), B).expect(200);
    await post('Service/createService?ace_orgGuid=team-blue', escService('org-blue'), B).expect(200);
    await post('Service/createService', escService('org-any'), B).expect(200);
    const names = async (org: string) => (await get(`service?ace_orgGuid=${org}&filter[where][author]=admin&filter[limit]=500`, B).expect(200)).body.map((s: { name: string }) => s.name).filter((n: string) => n.startsWith('org-'));
    expect(await names('team-red')).toEqual(['org-red', 'org-any']);
    expect(await names('all')).toEqual(['org-red', 'org-blue', 'org-any']);
    const entry = (await get('service?filter[where][name]=org-red', B)).body[0];
    expect(entry).toMatchObject({ orgGuid: 'team-red', spaceGuid: 'default', namespaceId: 'default' });
  });

  describe('hostile and odd input is a 4xx that names what is wrong, never a 500', () => {
    it.each([
      ['GET', 'service?filter[where][name]=%00', 'filter[where][name]: must not contain NUL', undefined],
      ['GET', 'service?cloudOE_spaceGuid=%00', 'cloudOE_spaceGuid: must be at most 256 characters, without NUL', undefined],
      ['GET', 'service?cloudOE_spaceGuid=a&cloudOE_spaceGuid=b', 'cloudOE_spaceGuid: give it once', undefined],
      ['GET', 'service?filter[order]=constructor', "cannot be ordered by 'constructor'", undefined],
      ['GET', 'service?filter[where][__proto__]=x', "cannot be filtered by '__proto__'", undefined],
      ['GET', 'service?filter={"where":{"hasOwnProperty":"x"}}', "cannot be filtered by 'hasOwnProperty'", undefined],
      ['POST', 'Service/createService', 'service.tags[0].name: is required', { service: { catalog_metadata: { name: 'x' }, actions: [], tags: [null] } }],
      ['POST', 'Service/createService', 'flow.notifications: must be an array of objects', { service: { catalog_metadata: { name: 'x' }, actions: [{ name: 'P', type: 'provision', flow: { notifications: 5 } }] } }],
    ])('%s %s', async (method: string, path: string, message: string, body: unknown) => {
      const res = method === 'GET' ? await get(path) : await post(path, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
    });

    it('refuses retire dates that are no calendar day or too far ahead, and a deleteService without a body', async () => {
      const svc = await newService();
      expect((await post(`ServiceManifest/${svc.serviceManifestId}/setRetireOnDate`, { retire_on_date: '9999-12-31' }).expect(400)).body.error.message).toContain('more than 100 years ahead');
      expect((await post(`ServiceManifest/${svc.serviceManifestId}/setRetireOnDate`, { retire_on_date: '2031-02-30' }).expect(400)).body.error.message).toContain('is not a day of the calendar');
      const noBody = await http.post(`${API}/Service/${svc.id}/deleteService`).set('Authorization', A).expect(400);
      expect(noBody.body.error.message).toContain('deleteService takes');
      expect((await post(`Service/${svc.id}/deleteService`, { version_id: svc.serviceManifestId }).expect(409)).body.error.message).toContain('is the last of service');
      await get(`ServiceManifest/${svc.serviceManifestId}`).expect(200);
    });

    it('keeps the namespace filter across keyset pages, and refuses a cursor made for another order', async () => {
      for (const n of ['dev-a', 'dev-b', 'dev-c']) await post('Service/createService?cloudOE_spaceGuid=pagedns', escService(n), B).expect(200);
      await post('Service/createService?cloudOE_spaceGuid=elsewhere', escService('hidden-x'), B).expect(200);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await get(`service?cloudOE_spaceGuid=pagedns&filter[where][author]=admin&filter[limit]=1${cursor ? `&filter[cursor]=${cursor}` : ''}`, B).expect(200);
        seen.push(...res.body.map((s: { name: string }) => s.name));
        cursor = res.headers['x-next-cursor'];
      } while (cursor);
      expect(seen).not.toContain('hidden-x');
      expect(seen).toEqual(expect.arrayContaining(['dev-a', 'dev-b', 'dev-c']));
      const first = await get('service?filter[limit]=1', B).expect(200);
      expect((await get(`service?filter[limit]=1&filter[order]=name%20ASC&filter[cursor]=${first.headers['x-next-cursor']}`, B).expect(400)).body.error.message).toContain('was made for another filter[order]');
    });

    it("does not let a standalone action's manifest be reached as a service version", async () => {
      const action = (await post('Actions/createAction', { name: 'hidden', type: 'custom', flow: {} }).expect(200)).body;
      await get(`ServiceManifest/${action.id}`).expect(404);
      await post(`ServiceManifest/${action.id}/updateServiceVersion`, escService('x')).expect(404);
      await post(`ServiceManifest/${action.id}/copyService`, { to_service_id: (await newService()).id, new_version_name: '9' }).expect(404);
    });
  });

  describe('retire, unretire and setRetireOnDate', () => {
    it('retires (no deploy: a 400 naming the state), unretires to Published', async () => {
      const svc = await newService();
      const retired = await post(`ServiceManifest/${svc.serviceManifestId}/retire`).expect(200);
      expect(retired.body).toMatchObject({ status: 'Retired', retiredTime: expect.any(String) });
      const refused = await post(`ServiceManifest/${svc.serviceManifestId}/deploy`, deployBody('no', { image: 'ASA' })).expect(400);
      expect(refused.body.error.message).toContain("service version '1.0.0.0' is Retired");
      expect(await rowCount(`service_instance WHERE name = 'no'`)).toBe(0);
      const back = await post(`ServiceManifest/${svc.serviceManifestId}/unretire`).expect(200);
      expect(back.body).toMatchObject({ status: 'Published', publishedTime: expect.any(String) });
      expect((await post(`ServiceManifest/${svc.serviceManifestId}/unretire`).expect(409)).body.error.message).toContain('is Published, not Retired');
      await post('ServiceManifest/00000000-0000-4000-8000-000000000000/retire').expect(404);
    });

    it('refuses a retire date in the past or that is no date, naming the field', async () => {
      const svc = await newService();
      expect((await post(`ServiceManifest/${svc.serviceManifestId}/setRetireOnDate`, jsonFixture('cam/service_set_retire_on_date.request.json')).expect(400)).body.error.message).toContain(
        'retire_on_date: 2020-10-28 is in the past',
      );
      expect((await post(`ServiceManifest/${svc.serviceManifestId}/setRetireOnDate`, { retire_on_date: 'soon' }).expect(400)).body.error.message).toContain('retire_on_date: must be an ISO-8601 date');
      expect((await get(`ServiceManifest/${svc.serviceManifestId}`)).body.retireOnDate).toBeUndefined();
    });

    it('retires on the date with a delayed job that survives a worker restart, and one the sweep re-creates if the store lost it', async () => {
      const svc = await newService();
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const set = await post(`ServiceManifest/${svc.serviceManifestId}/setRetireOnDate`, { retire_on_date: tomorrow }).expect(200);
      const midnight = new Date(`${tomorrow}T00:00:00.000Z`).getTime() + 86_400_000;
      expect(set.body).toMatchObject({ status: 'Draft', retireOnDate: new Date(midnight).toISOString() });
      const catalog = new Queue('catalog', { connection: stack.queue.connection as never, prefix: stack.queue.prefix });
      try {
        const jobId = `retire-version.${svc.serviceManifestId}.${midnight}`;
        const madeAt = (await catalog.getJob(jobId))!.timestamp;
        await stack.restartWorker();
        const job = await catalog.getJob(jobId);
        expect(job!.timestamp).toBe(madeAt); // the very job made by setRetireOnDate, not one the restart's sweep re-made
        expect(await job?.getState()).toBe('delayed');
        expect(job!.timestamp + job!.delay).toBeGreaterThanOrEqual(midnight - 1000);
        expect(job!.timestamp + job!.delay).toBeLessThanOrEqual(midnight + 1000);

        // the day has come while the queue store lost the job: the next worker start re-creates it, and it runs at once
        await stack.restartWorker(async () => {
          await job!.remove();
          await stack.db.query(`UPDATE service_version SET retire_on = now() - interval '1 second' WHERE id = $1`, [svc.serviceManifestId]);
        });
        const retired = await waitFor(async () => (await get(`ServiceManifest/${svc.serviceManifestId}`)).body, (v) => v.status === 'Retired', 'the version to be retired');
        expect(retired.retiredTime).toBeDefined();
        expect(retired.retireOnDate).toBeUndefined();
      } finally {
        await catalog.close();
      }
    });
  });
});
