import request from 'supertest';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { Stack, startStack, TENANT_A, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;

/** An ESC that takes its time (300 ms between callbacks) shows the states in between. */
describe('while ESC works (slow esc-sim)', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let manifestId: string;

  beforeAll(async () => {
    stack = await startStack({ callbackDelayMs: 300 });
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    manifestId = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('slow ASA')).expect(200)).body.serviceManifestId;
  });
  afterAll(() => stack?.close());

  const get = async (id: string) => (await http.get(`/cam/composer/api/v1/ServiceInstances/${id}`).set('Authorization', A)).body;
  const terminate = (id: string) => http.post(`/cam/composer/api/v1/ServiceInstances/${id}/terminate`).set('Authorization', A).send({});

  it('shows In_Progress, refuses a second action while one runs (409), then goes on', async () => {
    const id = (await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody('slow-1', { image: 'ASA' })).expect(200)).body.id;
    const running = await waitFor(() => get(id), (i) => i.esc.deployments[0]?.status === 'Deploying', 'the ESC deployment to be accepted');
    expect(running.Status).toBe('In_Progress');
    const busy = await terminate(id);
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toMatch(/is running action 'Provision' \(In_Progress, action instance [0-9a-f-]{36}\); wait for it to end/);

    await waitFor(() => get(id), (i) => i.Status === 'Active', 'Active');
    expect((await terminate(id)).body.Status).toBe('Terminating');
    expect((await terminate(id)).status).toBe(409);
    const undeploying = await waitFor(() => get(id), (i) => i.esc.deployments[0].status === 'Undeploying', 'Undeploying');
    expect(undeploying.Status).toBe('Terminating');
    await waitFor(() => get(id), (i) => i.Status === 'Terminated', 'Terminated');
  });
});
