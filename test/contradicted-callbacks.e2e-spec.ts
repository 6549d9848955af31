/**
 * A final callback that says the opposite of how its request was recorded to end (a SERVICE_ALIVE
 * failure after its success, or a success after its failure) is not applied blindly, nor dropped as
 * a duplicate: ESC is asked (GET), and its own state decides. The records then say what ESC holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { Stack, startStack, TENANT_A, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const API = '/cam/composer/api/v1/ServiceInstances';
const SERVICE_ALIVE = JSON.parse(readFileSync(join(__dirname, 'fixtures/esc/callback_deploy_3_service_alive.json'), 'utf8')) as { headers: Record<string, string>; body: string };

describe('callbacks that contradict a recorded outcome', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let manifestId: string;

  const instance = async (id: string) => (await http.get(`${API}/${id}`).set('Authorization', A)).body;
  const untilStatus = (id: string, ...statuses: string[]) => waitFor(() => instance(id), (i) => statuses.includes(i.Status), `instance ${id} to become ${statuses.join('|')}`);
  const deploy = async (name: string) => (await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody(name, { image: 'ASA' })).expect(200)).body.id as string;
  const createRequest = async (id: string) => {
    const { rows } = await stack.db.query<{ callback_token: string; transaction_id: string; internal_id: string; status: string }>(
      `SELECT r.callback_token, r.transaction_id, s.internal_id, r.status FROM esc_request r JOIN esc_resource s ON s.id = r.esc_resource_id WHERE s.service_instance_id = $1 AND r.operation = 'CREATE_DEPLOYMENT'`,
      [id],
    );
    return rows[0];
  };
  /** ESC's SERVICE_ALIVE for the instance's create, with the status code given. */
  const serviceAlive = async (id: string, statusCode: number, message: string) => {
    const r = await createRequest(id);
    const body = SERVICE_ALIVE.body.replace('my_dep_id', r.internal_id).replace('SERVICE_ACTIVE_STATE', statusCode === 200 ? 'SERVICE_ACTIVE_STATE' : 'SERVICE_ERROR_STATE');
    const headers = { ...SERVICE_ALIVE.headers, ESC_TRANSACTION_ID: r.transaction_id, 'ESC-Status-Code': String(statusCode), 'ESC-Status-Message': message };
    await http.post(`/esc/callbacks/${r.callback_token}`).set(headers).send(body).expect(200);
  };
  const contradictions = async () => {
    const text = (await http.get('/metrics')).text;
    return Object.fromEntries([...text.matchAll(/^cam_esc_contradictions_total\{verdict="(\w+)"\} (\d+)/gm)].map((m) => [m[1], Number(m[2])]));
  };

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    manifestId = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA contradicted')).expect(200)).body.serviceManifestId;
  });
  afterEach(() => request(stack.sim.baseUrl).delete('/_sim/faults'));
  afterAll(() => stack?.close());

  it('a failure after the success, while ESC holds the deployment active: GET confirms the success, nothing changes', async () => {
    const id = await deploy('contradicted-success');
    const active = await untilStatus(id, 'Active', 'Error');
    expect(active.Status).toBe('Active');
    await serviceAlive(id, 500, 'VM boot timed out');
    const done = await waitFor(() => instance(id), (i) => /the recorded success stands/.test(i.logs), 'ESC to be asked');
    expect(done.Status).toBe('Active');
    expect(done.logs).toMatch(/ESC's later SERVICE_ALIVE \(ESC-Status-Code 500\) contradicted the recorded success of POST \/v0\/deployments\/\S+; GET \/v0\/deployments\/\S+ answered SERVICE_ACTIVE_STATE/);
    expect(done.esc.deployments[0]).toMatchObject({ status: 'Active', vms: [expect.objectContaining({ state: 'VM_ALIVE' })] });
    const audit = (await http.get(`${API}/${id}/escRequests`).set('Authorization', A)).body;
    const create = audit.find((r: { operation: string }) => r.operation === 'CREATE_DEPLOYMENT');
    expect(create.status).toBe('Succeeded');
    expect(create.callbacks.at(-1)).toMatchObject({ outcome: 'Ignored', detail: expect.stringContaining('contradicts the recorded success') });
    expect((await contradictions()).confirmed).toBeGreaterThanOrEqual(1);
  });

  it('a success after a failure, and ESC holds the deployment active: the request, the deployment and its VMs follow ESC; the instance stays Error and says why', async () => {
    // ESC deploys but stays silent: the failure the gateway records is one ESC then takes back
    await request(stack.sim.baseUrl).post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, silent: true, times: 1 }).expect(201);
    const id = await deploy('contradicted-failure');
    await waitFor(() => createRequest(id), (r) => r?.status === 'Accepted' && !!r.transaction_id, 'ESC to accept the create');
    await serviceAlive(id, 500, 'VM boot timed out');
    const failed = await untilStatus(id, 'Error', 'Active');
    expect(failed.Status).toBe('Error');
    expect(failed.esc.deployments[0].status).toBe('Error');
    const before = (await contradictions()).corrected ?? 0;

    await serviceAlive(id, 200, 'Service group deployment completed successfully!');
    const done = await waitFor(() => instance(id), (i) => /the request is now recorded as succeeded/.test(i.logs), 'ESC to be asked');
    expect(done.logs).toMatch(/contradicted the recorded failure of POST \/v0\/deployments\/\S+; GET \S+ answered SERVICE_ACTIVE_STATE: the deployment is there; the request is now recorded as succeeded, the deployment as Active; the instance stays Error/);
    expect(done.Status).toBe('Error');
    // what ESC holds, the records now say: the deployment Active, with the VM ESC lists alive
    expect(done.esc.deployments[0]).toMatchObject({ status: 'Active', vms: [expect.objectContaining({ state: 'VM_ALIVE' })] });
    expect((await createRequest(id)).status).toBe('Succeeded');
    expect((await contradictions()).corrected).toBe(before + 1);
    // and terminate deletes it from ESC
    await http.post(`${API}/${id}/terminate`).set('Authorization', A).send({}).expect(200);
    expect((await untilStatus(id, 'Terminated', 'Error')).Status).toBe('Terminated');
  });
});
