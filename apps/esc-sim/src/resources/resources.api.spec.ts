import request from 'supertest';
import { ReceivedCallback, stageOf } from '../testing/callback-receiver';
import { EscRequests, resourceBody } from '../testing/esc-requests';
import { eventually } from '../testing/eventually';
import { useEscSim } from '../testing/sim-context';
import { escCallbackFixture, escFixture, parseXml, xmlShape } from '../testing/fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NETCONF = 'urn:ietf:params:xml:ns:netconf:base:1.0';

describe('ESC tenants, networks, subnets, images, flavors and volumes API', () => {
  const env = useEscSim({ callbackDelayMs: 2 });

  /** POSTs and waits for the one callback; answers [transaction id, callback]. */
  async function created(path: string, body: string, event: string): Promise<[string, ReceivedCallback]> {
    const res = await env.esc.post(path, body).expect(200);
    const callbacks = await env.receiver.waitForStage(event, countOf(event) + 1);
    return [res.headers['esc-transaction-id'], callbacks.filter((callback) => stageOf(callback) === event).pop()!];
  }

  const countOf = (event: string) => env.receiver.received.filter((callback) => stageOf(callback) === event).length;
  const xmlOf = (callback: ReceivedCallback, root: string) => parseXml(callback.body)[root];
  const getXml = async (path: string, root: string) => parseXml((await env.esc.get(path).expect(200)).text)[root];

  function expectCallbackHeaders(callback: ReceivedCallback, transactionId: string, message: string): void {
    expect(callback.method).toBe('POST');
    expect(callback.headers['content-type']).toBe('application/xml; charset=UTF-8');
    expect(callback.headers['esc_transaction_id']).toBe(transactionId);
    expect(callback.headers['esc-status-code']).toBe('200');
    expect(callback.headers['esc-status-message']).toBe(message);
  }

  describe('the reference examples, posted verbatim', () => {
    it.each([
      ['tenant_create.request.xml', 'tenants/tentest', 'callback_tenant_created.json', 'tenant', /^[0-9a-f]{32}$/],
      ['image_create.request.xml', 'images/my_image_id', 'callback_image_created.json', 'image', UUID],
      ['flavor_create.request.xml', 'flavors/my_flavor_id', 'callback_flavor_created.json', 'flavor', UUID],
    ])('answers %s with one callback like %s', async (requestFixture, path, callbackFixture, kind, externalId) => {
      const res = await env.esc.post(path, escFixture(requestFixture)).expect(200);
      const transactionId = res.headers['esc-transaction-id'];
      expect(transactionId).toMatch(UUID);
      expect(res.headers['content-type']).toMatch(/^application\/xml/);
      const internalId = path.split('/')[1];
      expect(parseXml(res.text).esc_request).toMatchObject({ operation: 'create', [`internal_${kind}_id`]: internalId, transaction_id: transactionId });

      const [callback] = await env.receiver.waitForStage(`CREATE_${kind.toUpperCase()}`);
      expect(env.receiver.received).toHaveLength(1);
      const fixture = escCallbackFixture(callbackFixture);
      expectCallbackHeaders(callback, transactionId, fixture.headers['ESC-Status-Message']);
      expect(Object.keys(callback.headers)).toEqual(expect.arrayContaining(Object.keys(fixture.headers).map((name) => name.toLowerCase())));
      // Same elements in the same order with the same values, but for the made-up external id.
      expect(xmlShape(callback.body)).toEqual(xmlShape(fixture.body));
      const body = xmlOf(callback, kind);
      expect(body).toEqual({ ...parseXml(fixture.body)[kind], [`external_${kind}_id`]: expect.stringMatching(externalId) });

      expect(await getXml(path, kind)).toEqual({ ...body, event_type: undefined });
    });

    it('echoes the properties of the image example with properties', async () => {
      const [, callback] = await created('images/my_image_id', escFixture('image_create_with_properties.request.xml'), 'CREATE_IMAGE');
      const body = xmlOf(callback, 'image');
      expect(body).toMatchObject({ name: 'uLinuxImg', disk_bus: 'virtio', internal_tenant_id: 'SystemAdminTenantId', visibility: 'public' });
      expect(body.properties.property).toEqual([
        { name: 'os_secure_boot', value: 'enabled' },
        { name: 'hw_rng_model', value: 'virtio' },
        { name: 'hw_vif_multiqueue_enabled', value: 'true' },
      ]);
    });
  });

  describe('every kind', () => {
    const tenantBody = resourceBody('tenant', 'tenant-one');
    const kinds = [
      { kind: 'tenant', path: 'tenants', label: 'Tenant', body: tenantBody },
      { kind: 'image', path: 'images', label: 'Image', body: resourceBody('image', 'img', '<src>http://x/i.qcow2</src>') },
      { kind: 'flavor', path: 'flavors', label: 'Flavor', body: resourceBody('flavor', 'small', '<vcpus>1</vcpus>') },
      { kind: 'network', path: 't1/networks', label: 'Network', body: resourceBody('network', 'mgmt', '<shared>false</shared>') },
      { kind: 'subnet', path: 't1/subnets', label: 'Subnet', body: resourceBody('subnet', 'mgmt-v4', '<internal_network_id>net1</internal_network_id><cidr>10.1.0.0/24</cidr>') },
      { kind: 'volume', path: 't1/volumes', label: 'Volume', body: resourceBody('volume', 'data', '<size>2</size><sizeunit>GiB</sizeunit>') },
    ];

    /** Tenant t1 and its network net1, for the kinds that need them. */
    async function parents(kind: string): Promise<{ tenantExternalId?: string; networkExternalId?: string }> {
      if (!['network', 'subnet', 'volume'].includes(kind)) return {};
      const [, tenant] = await created('tenants/t1', tenantBody, 'CREATE_TENANT');
      const tenantExternalId = xmlOf(tenant, 'tenant').external_tenant_id;
      if (kind !== 'subnet') return { tenantExternalId };
      const [, network] = await created('t1/networks/net1', resourceBody('network', 'mgmt'), 'CREATE_NETWORK');
      return { tenantExternalId, networkExternalId: xmlOf(network, 'network').external_network_id };
    }

    it.each(kinds)('creates, gets, lists and deletes a $kind, one callback each', async ({ kind, path, label, body }) => {
      const { tenantExternalId, networkExternalId } = await parents(kind);
      const create = `CREATE_${kind.toUpperCase()}`;
      const [createTransaction, createCallback] = await created(`${path}/x1`, body, create);
      const createMessage = kind === 'flavor' ? 'Flavor creation completed successfully created' : `${label} successfully created`;
      expectCallbackHeaders(createCallback, createTransaction, createMessage);
      const createdXml = xmlOf(createCallback, kind);
      expect(createdXml).toMatchObject({ event_type: create, [`internal_${kind}_id`]: 'x1' });
      expect(createdXml[`external_${kind}_id`]).toEqual(expect.any(String));
      if (tenantExternalId) expect(createdXml).toMatchObject({ internal_tenant_id: 't1', external_tenant_id: tenantExternalId });
      if (networkExternalId) expect(createdXml).toMatchObject({ internal_network_id: 'net1', external_network_id: networkExternalId, cidr: '10.1.0.0/24' });

      const got = await getXml(`${path}/x1`, kind);
      expect(got[`external_${kind}_id`]).toBe(createdXml[`external_${kind}_id`]);
      const list = await getXml(path, `${kind}s`);
      const items = [list[kind]].flat().map((item: Record<string, string>) => item[`internal_${kind}_id`]);
      expect(items).toContain('x1');

      env.receiver.clear();
      const res = await env.esc.delete(`${path}/x1`).expect(200);
      expect(parseXml(res.text).esc_request).toMatchObject({ operation: 'delete', [`internal_${kind}_id`]: 'x1' });
      const [deleted] = await env.receiver.waitForStage(`DELETE_${kind.toUpperCase()}`);
      expect(env.receiver.received).toHaveLength(1);
      expectCallbackHeaders(deleted, res.headers['esc-transaction-id'], `${label} successfully deleted`);
      expect(res.headers['esc-transaction-id']).not.toBe(createTransaction);
      expect(xmlOf(deleted, kind)).toMatchObject({
        event_type: `DELETE_${kind.toUpperCase()}`,
        [`internal_${kind}_id`]: 'x1',
        [`external_${kind}_id`]: createdXml[`external_${kind}_id`],
        name: createdXml.name,
      });
      await env.esc.get(`${path}/x1`).expect(404);
    });

    it.each(kinds)('answers 409 "Conflicting Request" to a $kind id used before, even once deleted', async ({ kind, path, body }) => {
      await parents(kind);
      await created(`${path}/x1`, body, `CREATE_${kind.toUpperCase()}`);
      expect((await env.esc.post(`${path}/x1`, body).expect(409)).text).toMatch(/^Conflicting Request: .*x1/);
      await env.esc.delete(`${path}/x1`).expect(200);
      await env.receiver.waitForStage(`DELETE_${kind.toUpperCase()}`);
      await env.esc.post(`${path}/x1`, body).expect(409);
    });

    it.each(kinds)('answers 404 to GET and DELETE of a $kind never created', async ({ kind, path }) => {
      await parents(kind);
      await env.esc.get(`${path}/nope`).expect(404);
      expect((await env.esc.delete(`${path}/nope`).expect(404)).text).toMatch(/nope not found/);
    });
  });

  describe('request checks', () => {
    it.each([
      ['no name', '<tenant><managed_resource>true</managed_resource></tenant>', /^tenant\/name is required$/],
      ['an empty name', '<tenant><name> </name></tenant>', /^tenant\/name is required$/],
      ['a wrong root element', '<network><name>n</name></network>', /^Root element must be tenant, got network$/],
      ['malformed XML', '<tenant><name>n</tenant>', /^Malformed XML: /],
      ['an empty body', '', /body is empty/],
      ['a name over 64 characters', resourceBody('tenant', 'n'.repeat(65)), /at most 64/],
      ['an internal id contradicting the path', resourceBody('tenant', 'n', '<internal_tenant_id>other</internal_tenant_id>'), /does not match/],
    ])('answers 400 for %s', async (_, body, message) => {
      const res = await env.esc.post('tenants/t1', body).expect(400);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(message);
      await env.esc.get('tenants/t1').expect(404);
    });

    it('accepts a body without namespace or with a prefixed one, echoing local names', async () => {
      await created('tenants/plain', '<tenant><name>plain</name></tenant>', 'CREATE_TENANT');
      const [, callback] = await created(
        'tenants/prefixed',
        '<n:tenant xmlns:n="urn:other"><n:name>pre</n:name><n:managed_resource>false</n:managed_resource></n:tenant>',
        'CREATE_TENANT',
      );
      expect(xmlOf(callback, 'tenant')).toMatchObject({ '@_xmlns': NETCONF, name: 'pre', managed_resource: 'false' });
    });

    it.each([['bad~id'], ['a'.repeat(73)]])('answers 400 for the internal id %s', async (id) => {
      expect((await env.esc.post(`images/${id}`, resourceBody('image', 'i')).expect(400)).text).toMatch(/internal_image_id/);
    });

    it('answers 415 for a body not declared as XML and 406 when XML is not acceptable', async () => {
      await request(env.sim.baseUrl).post('/ESCManager/v0/flavors/f1').set('Content-Type', 'application/json').send('{}').expect(415);
      await env.esc.post('flavors/f1', resourceBody('flavor', 'f')).set('Accept', 'application/json').expect(406);
      await env.esc.get('flavors').set('Accept', 'application/json').expect(406);
    });

    it('answers 400 for a Callback header that is not an http(s) URL', async () => {
      const res = await env.esc.post('flavors/f1', resourceBody('flavor', 'f')).set('Callback', 'nowhere').expect(400);
      expect(res.text).toMatch(/Callback header/);
    });

    it('creates without callbacks when there is no Callback header', async () => {
      await new EscRequests(env.sim.baseUrl).post('flavors/quiet', resourceBody('flavor', 'q')).expect(200);
      await eventually(async () => {
        await env.esc.get('flavors/quiet').expect(200);
      });
      expect(env.receiver.received).toHaveLength(0);
    });

    it('lists nothing on a fresh simulator and has no PUT but for tenants', async () => {
      expect(await getXml('images', 'images')).toEqual({ '@_xmlns': NETCONF });
      await env.esc.put('images/i1', resourceBody('image', 'i')).expect(404);
    });
  });
});
