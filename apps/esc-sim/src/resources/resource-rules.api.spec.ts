import request from 'supertest';
import { ReceivedCallback, stageOf } from '../testing/callback-receiver';
import { resourceBody } from '../testing/esc-requests';
import { escFixture, parseXml } from '../testing/fixtures';
import { eventually } from '../testing/eventually';
import { useEscSim } from '../testing/sim-context';

const TENANT = resourceBody('tenant', 'tenant-one');
const NETWORK = resourceBody('network', 'mgmt');
const subnetOf = (network: string, element = 'internal_network_id') => resourceBody('subnet', 'v4', `<${element}>${network}</${element}>`);

describe('ESC resources: parents, fault rules and reset', () => {
  const env = useEscSim({ callbackDelayMs: 2 });

  const addFault = (rule: object) => request(env.sim.baseUrl).post('/_sim/faults').send(rule);
  const events = () => env.receiver.received.map(stageOf);

  /** The request succeeds synchronously; resolves with its (n-th) callback of that event type. */
  async function done(send: request.Test, event: string): Promise<ReceivedCallback> {
    const nth = env.receiver.received.filter((callback) => stageOf(callback) === event).length + 1;
    await send.expect(200);
    const callbacks = await env.receiver.waitForStage(event, nth);
    return callbacks.filter((callback) => stageOf(callback) === event)[nth - 1];
  }

  const tenantWithNetwork = async () => {
    await done(env.esc.post('tenants/t1', TENANT), 'CREATE_TENANT');
    await done(env.esc.post('t1/networks/net1', NETWORK), 'CREATE_NETWORK');
  };

  describe('parents', () => {
    it('answers 404 to a network, subnet or volume in a tenant that does not exist', async () => {
      expect((await env.esc.post('t1/networks/net1', NETWORK).expect(404)).text).toBe('Tenant t1 not found');
      await env.esc.post('t1/volumes/v1', resourceBody('volume', 'v')).expect(404);
      await env.esc.post('t1/subnets/s1', subnetOf('net1')).expect(404);
      await env.esc.get('t1/networks').expect(404);
      expect(env.receiver.received).toHaveLength(0);
    });

    it('needs a subnet network that exists in the same tenant, named by id or by <network>', async () => {
      await tenantWithNetwork();
      await done(env.esc.post('tenants/t2', TENANT), 'CREATE_TENANT');
      expect((await env.esc.post('t2/subnets/s1', subnetOf('net1')).expect(404)).text).toBe('Network net1 not found in tenant t2');
      expect((await env.esc.post('t1/subnets/s1', resourceBody('subnet', 'v4')).expect(400)).text).toMatch(/internal_network_id \(or subnet\/network\) is required/);

      const byName = await done(env.esc.post('t1/subnets/s1', subnetOf('mgmt', 'network')), 'CREATE_SUBNET');
      expect(parseXml(byName.body).subnet).toMatchObject({ network: 'mgmt', internal_network_id: 'net1', internal_tenant_id: 't1' });
      const list = parseXml((await env.esc.get('t1/subnets').set('internalNetworkId', 'net1').expect(200)).text).subnets;
      expect(list.subnet.internal_subnet_id).toBe('s1');
      expect(parseXml((await env.esc.get('t1/subnets').set('internalNetworkId', 'other').expect(200)).text).subnets.subnet).toBeUndefined();
      // The network is only found in its own tenant.
      await env.esc.get('t2/networks/net1').expect(404);
    });

    it('refuses by callback to delete a tenant that still has resources, naming them, and keeps it', async () => {
      await tenantWithNetwork();
      await done(env.esc.post('t1/subnets/s1', subnetOf('net1')), 'CREATE_SUBNET');
      await done(env.esc.post('t1/volumes/v1', resourceBody('volume', 'v')), 'CREATE_VOLUME');

      const refused = await done(env.esc.delete('tenants/t1'), 'DELETE_TENANT');
      expect(refused.headers['esc-status-code']).toBe('500');
      expect(refused.headers['esc-status-message']).toBe(
        'Tenant t1 cannot be deleted: it still has 1 network (net1), 1 subnet (s1), 1 volume (v1)',
      );
      expect(parseXml(refused.body).tenant).toMatchObject({ event_type: 'DELETE_TENANT', internal_tenant_id: 't1' });
      await env.esc.get('tenants/t1').expect(200);

      const network = await done(env.esc.delete('t1/networks/net1'), 'DELETE_NETWORK');
      expect(network.headers['esc-status-code']).toBe('500');
      expect(network.headers['esc-status-message']).toBe('Network net1 cannot be deleted: it still has 1 subnet (s1)');
      await env.esc.get('t1/networks/net1').expect(200);

      for (const [path, event] of [['t1/subnets/s1', 'DELETE_SUBNET'], ['t1/networks/net1', 'DELETE_NETWORK'], ['t1/volumes/v1', 'DELETE_VOLUME'], ['tenants/t1', 'DELETE_TENANT']]) {
        expect((await done(env.esc.delete(path), event)).headers['esc-status-code']).toBe('200');
      }
      await env.esc.get('tenants/t1').expect(404);
    });

    it('counts the tenant a deployment names as existing, and its deployments as keeping it', async () => {
      await env.esc.post('deployments/my_dep_id', escFixture('deployment_create.request.xml')).expect(200);
      await env.receiver.waitForStage('SERVICE_ALIVE');

      const admin = parseXml((await env.esc.get('tenants/SystemAdminTenantId').expect(200)).text).tenant;
      expect(admin).toMatchObject({ name: 'admin', internal_tenant_id: 'SystemAdminTenantId', external_tenant_id: 'SystemAdminTenantId' });
      await done(env.esc.post('SystemAdminTenantId/networks/MgtNetwork', NETWORK), 'CREATE_NETWORK');
      await env.esc.post('tenants/SystemAdminTenantId', TENANT).expect(409);

      const refused = await done(env.esc.delete('tenants/SystemAdminTenantId'), 'DELETE_TENANT');
      expect(refused.headers['esc-status-message']).toBe(
        'Tenant SystemAdminTenantId cannot be deleted: it still has 1 network (MgtNetwork), 1 deployment (my_dep_id)',
      );
    });

    it('gives a deployment the ids of the tenant created through the API', async () => {
      const tenant = parseXml((await done(env.esc.post('tenants/tenant-b', TENANT), 'CREATE_TENANT')).body).tenant;
      const xml = escFixture('deployment_create.request.xml').replace('<name>admin</name>', '<name>tenant-b</name>');
      await env.esc.post('deployments/d1', xml).expect(200);
      const [alive] = (await env.receiver.waitForStage('SERVICE_ALIVE')).filter((callback) => stageOf(callback) === 'SERVICE_ALIVE');
      expect(parseXml(alive.body).deployment).toMatchObject({ internal_tenant_id: 'tenant-b', external_tenant_id: tenant.external_tenant_id });
    });

    it('updates a tenant with PUT: UPDATE_TENANT carries the new body, and GET shows it', async () => {
      await done(env.esc.post('tenants/t1', escFixture('tenant_create.request.xml')), 'CREATE_TENANT');
      const updated = await done(env.esc.put('tenants/t1', resourceBody('tenant', 'renamed', '<managed_resource>false</managed_resource>')), 'UPDATE_TENANT');
      expect(updated.headers['esc-status-message']).toBe('Tenant successfully updated');
      expect(parseXml(updated.body).tenant).toMatchObject({ event_type: 'UPDATE_TENANT', name: 'renamed', managed_resource: 'false', internal_tenant_id: 't1' });
      expect(parseXml((await env.esc.get('tenants/t1').expect(200)).text).tenant.name).toBe('renamed');
      await env.esc.put('tenants/nope', TENANT).expect(404);
      await env.esc.put('tenants/t1', '<tenant/>').expect(400);
    });
  });

  describe('fault rules', () => {
    it('makes a create answer the given status, creating nothing and leaving the id free', async () => {
      const rule = { resource: 'tenant', operation: 'create', match: { name: 'one' }, respond: { status: 503, body: 'Unable to query VIM' }, times: 1 };
      expect((await addFault(rule).expect(201)).body).toMatchObject({ resource: 'tenant', match: { name: 'one' }, hits: 0 });
      expect((await env.esc.post('tenants/t1', TENANT).expect(503)).text).toBe('Unable to query VIM');
      await env.esc.get('tenants/t1').expect(404);
      await done(env.esc.post('tenants/t1', TENANT), 'CREATE_TENANT');
    });

    it('only applies a rule to its resource kind; deployment rules stay the default', async () => {
      await addFault({ operation: 'create', respond: { status: 500 } }).expect(201);
      await addFault({ resource: 'image', operation: 'delete', match: { internalId: 'i1' }, respond: { status: 500 } }).expect(201);
      await done(env.esc.post('images/i1', resourceBody('image', 'i')), 'CREATE_IMAGE');
      await env.esc.delete('images/i1').expect(500);
      await env.esc.post('images/i2', resourceBody('image', 'i')).expect(200);
    });

    it('makes a create callback report failure: nothing is left, the id is burnt', async () => {
      await done(env.esc.post('tenants/t1', TENANT), 'CREATE_TENANT');
      await addFault({ resource: 'network', operation: 'create', match: { internalId: 'net1' }, callback: { statusCode: 500, message: 'Network quota exceeded' } }).expect(201);
      const res = await env.esc.post('t1/networks/net1', NETWORK).expect(200);
      const [, failed] = await env.receiver.waitForStage('CREATE_NETWORK');
      expect(failed.headers).toMatchObject({ esc_transaction_id: res.headers['esc-transaction-id'], 'esc-status-code': '500', 'esc-status-message': 'Network quota exceeded' });
      const body = parseXml(failed.body).network;
      expect(body).toMatchObject({ event_type: 'CREATE_NETWORK', internal_network_id: 'net1', internal_tenant_id: 't1', name: 'mgmt' });
      expect(body.external_network_id).toBeUndefined();
      await env.esc.get('t1/networks/net1').expect(404);
      await env.esc.post('t1/networks/net1', NETWORK).expect(409);
    });

    it('makes a delete callback report failure and keeps the resource', async () => {
      await done(env.esc.post('flavors/f1', escFixture('flavor_create.request.xml')), 'CREATE_FLAVOR');
      await addFault({ resource: 'flavor', operation: 'delete', match: { name: 'VMFlavor' }, callback: { statusCode: 503, message: 'VIM unreachable' }, times: 1 }).expect(201);
      const failed = await done(env.esc.delete('flavors/f1'), 'DELETE_FLAVOR');
      expect(failed.headers['esc-status-code']).toBe('503');
      await env.esc.get('flavors/f1').expect(200);
      expect((await done(env.esc.delete('flavors/f1'), 'DELETE_FLAVOR')).headers['esc-status-code']).toBe('200');
    });

    it('drops the callbacks of a silent operation, which still takes effect', async () => {
      await addFault({ resource: 'image', operation: 'create', silent: true }).expect(201);
      await addFault({ operation: 'create', match: { name: 'Demo' }, silent: true }).expect(201);
      await env.esc.post('images/i1', resourceBody('image', 'i')).expect(200);
      await env.esc.post('deployments/d1', escFixture('deployment_create.request.xml')).expect(200);
      await done(env.esc.post('flavors/f1', resourceBody('flavor', 'f')), 'CREATE_FLAVOR');

      await eventually(async () => {
        await env.esc.get('images/i1').expect(200);
        const deployment = parseXml((await env.esc.get('deployments/d1').expect(200)).text).deployment;
        expect(deployment.service_state_machine_state).toBe('SERVICE_ACTIVE_STATE');
      });
      expect(events()).toEqual(['CREATE_FLAVOR']);
      expect((await request(env.sim.baseUrl).get('/_sim/callbacks').expect(200)).body).toHaveLength(1);
    });

    it.each([
      [{ resource: 'router', operation: 'create', respond: { status: 500 } }, /^resource must be one of deployment, tenant, network/],
      [{ resource: 'image', operation: 'update', respond: { status: 500 } }, /update does not apply to resource image/],
      [{ resource: 'tenant', operation: 'create', match: { deploymentName: 'x' }, respond: { status: 500 } }, /use match.name/],
      [{ resource: 'tenant', operation: 'create', silent: 'yes' }, /silent must be true or false/],
      [{ resource: 'tenant', operation: 'create', silent: false }, /respond and\/or callback/],
    ])('refuses the invalid rule %j with 400', async (rule, message) => {
      expect((await addFault(rule).expect(400)).body.message).toMatch(message);
    });
  });

  it('forgets resources and burnt ids on reset', async () => {
    await tenantWithNetwork();
    await request(env.sim.baseUrl).post('/_sim/reset').expect(204);
    await env.esc.get('tenants/t1').expect(404);
    await done(env.esc.post('tenants/t1', TENANT), 'CREATE_TENANT');
    await env.esc.get('t1/networks/net1').expect(404);
  });

  it('records the requests in the request log', async () => {
    await done(env.esc.post('tenants/t1', TENANT), 'CREATE_TENANT');
    const [entry] = (await request(env.sim.baseUrl).get('/_sim/requests').expect(200)).body;
    expect(entry).toMatchObject({ method: 'POST', path: '/ESCManager/v0/tenants/t1', body: TENANT, status: 200 });
  });
});

describe('ESC resources while an operation is in flight', () => {
  const env = useEscSim({ callbackDelayMs: 60_000, username: 'admin', password: 's3cret' }, { resetAfterEach: false });

  const auth = (req: request.Test) => req.auth('admin', 's3cret');

  it('hides a resource until its create callback, but refuses its id and queues a DELETE', async () => {
    await auth(env.esc.post('tenants/t1', TENANT)).expect(200);
    await auth(env.esc.get('tenants/t1')).expect(404);
    expect(parseXml((await auth(env.esc.get('tenants')).expect(200)).text).tenants.tenant).toBeUndefined();
    await auth(env.esc.post('tenants/t1', TENANT)).expect(409);
    await auth(env.esc.post('t1/networks/n1', NETWORK)).expect(404);
    await auth(env.esc.put('tenants/t1', TENANT)).expect(409);
    await auth(env.esc.delete('tenants/t1')).expect(200);
    await auth(env.esc.delete('tenants/t1')).expect(409);
    expect(env.receiver.received).toHaveLength(0);
  });

  it('puts the new routes behind basic auth', async () => {
    await env.esc.get('tenants').expect(401);
    await env.esc.post('t1/networks/n1', NETWORK).expect(401);
    await env.esc.delete('images/i1').expect(401);
  });
});
