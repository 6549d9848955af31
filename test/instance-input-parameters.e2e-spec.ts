/**
 * GET ServiceInstances/{id}/getInputParameters: the instance's record with InputParameters, the
 * value of each input parameter next to its definition (what a portal shows before an update,
 * retry or resume), a shared parameter resolved to what it stands for, secured values masked
 * everywhere in the answer.
 */
import { asaTemplateContent, jsonFixture } from './support/payloads';
import { A, B, INSTANCES, InstanceView, Portal, portal } from './support/instance-lifecycle';
import { Stack, startStack } from './support/stack';

const ADMIN_PASSWORD = 'S3cret-admin-pw';
const PROXY_PASSWORD = 'proxy-pw-9';
const MASK = '*******';

interface ShownParameter {
  name: string;
  type: string;
  value: unknown;
  default?: unknown;
  secured?: boolean;
  resolved_value?: unknown;
  datatype?: string;
  resolution?: string;
}

describe('input parameters of an instance', () => {
  let stack: Stack;
  let p: Portal;
  let active: InstanceView;

  const inputParameters = (id: string, auth = A) => p.http.get(`${INSTANCES}/${id}/getInputParameters`).set('Authorization', auth);
  const byName = (list: ShownParameter[]) => Object.fromEntries(list.map((i) => [i.name, i]));

  beforeAll(async () => {
    stack = await startStack();
    p = portal(stack);
    // the day-0 configuration is fetched with the admin password: ESC gets it, nobody else sees it
    const content = asaTemplateContent().replace('http://MY_FILE_SERVER_IP:/share/images/day0-configASAv', 'http://files.example/day0?password=${admin_password}');
    await p.http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-day0', version: '1.0', type: 'ESC', content }).expect(201);
    await p.http
      .post('/cam/api/v1/sharedparameters')
      .set('Authorization', A)
      .send({ name: 'proxy-east', datatype: 'httpproxy', values: { host: 'proxy.east.example', port: 3128, password: PROXY_PASSWORD }, secured_keys: ['password'] })
      .expect(201);
    const doc = {
      service: {
        specVersion: 'v3',
        version: '1.0.0.0',
        catalog_metadata: { name: 'ASA with day-0', description: 'ASA whose day-0 config needs a password', image: 'serviceicon_1.svg', category: 'Network', author: 'admin' },
        tags: [],
        actions: [
          {
            type: 'provision',
            name: 'Provision',
            input_parameters: [
              { name: 'image', label: 'Image', type: 'string', customtype: 'string', required: true, secured: false },
              { name: 'mgmt_ip', label: 'Management IP', type: 'string', customtype: 'string', required: false, secured: false, default: '10.80.0.5' },
              { name: 'admin_password', label: 'Admin password', type: 'password', customtype: 'password', required: true, secured: true, default: 'factory-default-pw' },
              { name: 'proxy', label: 'HTTP proxy', type: 'sharedparameter', datatype: 'httpproxy', required: false, secured: false, default: 'proxy-east' },
            ],
            flow: {
              templates: [
                {
                  'ASA on ESC': {
                    title: 'ASA on ESC',
                    template_name: 'asa-day0',
                    version: '1.0',
                    id: 'asa1',
                    template_type: 'ESC',
                    template_params: { image: '${input_parameters.image}', mgmt_ip: '${input_parameters.mgmt_ip}', esc_tenant: 'admin', admin_password: '${input_parameters.admin_password}' },
                  },
                },
              ],
              resthooks: [],
              sequence: { '0': 'asa1' },
            },
            output_parameters: [],
          },
        ],
        plans: [{ name: 'Standard', description: 'Standard plan', actions: [], plan_parameters: [] }],
      },
    };
    const { manifestId } = await p.createService(doc);
    active = await p.deployActive(manifestId, 'day0-01', { image: 'ASAv-9.18', admin_password: ADMIN_PASSWORD });
  });
  afterAll(() => stack?.close());

  it('shows every input parameter of the provision with its definition and current value, in the seed’s shape', async () => {
    const res = await inputParameters(active.id).expect(200);
    const seed = jsonFixture<{ InputParameters: Record<string, unknown> }>('cam/service_instance_input_parameters.response.json');
    expect(res.body).toMatchObject({ id: active.id, name: 'day0-01', Status: 'Active', serviceManifestId: active.serviceManifestId });
    expect(Object.keys(res.body.InputParameters)).toEqual(Object.keys(seed.InputParameters));
    expect(res.body.InputParameters.pre_action_input_parameters).toEqual([]);
    expect(res.body.InputParameters.post_action_input_parameters).toEqual([]);
    const shown: ShownParameter[] = res.body.InputParameters.input_parameters;
    expect(shown.map((i) => i.name)).toEqual(['image', 'mgmt_ip', 'admin_password', 'proxy']);
    const by = byName(shown);
    expect(by.image).toMatchObject({ label: 'Image', type: 'string', required: true, value: 'ASAv-9.18' });
    // not given: the default it ran with
    expect(by.mgmt_ip).toMatchObject({ default: '10.80.0.5', value: '10.80.0.5' });
    // and it is what ESC got
    expect(active.esc.deployments[0].vms[0].ip_addresses).toEqual(['10.80.0.5']);
  });

  it('masks a secured value (and its default); the secret is nowhere in the answer, though ESC received it', async () => {
    const res = await inputParameters(active.id).expect(200);
    const { admin_password } = byName(res.body.InputParameters.input_parameters);
    expect(admin_password).toMatchObject({ secured: true, value: MASK, default: MASK });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(ADMIN_PASSWORD);
    expect(text).not.toContain('factory-default-pw');
    const create = (await p.simRequests()).find((r) => r.method === 'POST' && r.path === `/ESCManager/v0/deployments/${active.esc.deployments[0].internal_deployment_id}`)!;
    expect(create.body).toContain(`password=${ADMIN_PASSWORD}`);
  });

  it('resolves a sharedparameter parameter given at deploy to the set it names, its secured keys masked', async () => {
    const given = await p.deployActive(active.serviceManifestId, 'day0-02', { image: 'ASAv-9.18', admin_password: ADMIN_PASSWORD, proxy: 'proxy-east' });
    const res = await inputParameters(given.id).expect(200);
    const { proxy } = byName(res.body.InputParameters.input_parameters);
    expect(proxy).toMatchObject({ type: 'sharedparameter', value: 'proxy-east', datatype: 'httpproxy', resolved_value: { host: 'proxy.east.example', port: 3128, password: MASK } });
    expect(JSON.stringify(res.body)).not.toContain(PROXY_PASSWORD);
  });

  it('shows a sharedparameter parameter left to its default the same way: its value the name, resolved_value the set', async () => {
    const res = await inputParameters(active.id).expect(200);
    const { proxy } = byName(res.body.InputParameters.input_parameters);
    expect(proxy).toMatchObject({ type: 'sharedparameter', value: 'proxy-east', datatype: 'httpproxy', resolved_value: { host: 'proxy.east.example', port: 3128, password: MASK } });
    expect(JSON.stringify(res.body)).not.toContain(PROXY_PASSWORD);
  });

  it("is 404 for another tenant's instance and an unknown one", async () => {
    expect((await inputParameters(active.id, B)).status).toBe(404);
    expect((await inputParameters('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
