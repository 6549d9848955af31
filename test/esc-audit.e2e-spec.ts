/**
 * GET ServiceInstances/{id}/escRequests: every request sent to ESC for an instance with ESC's
 * answer and the callbacks matched to it, secured values masked wherever they appear.
 */
import request from 'supertest';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { Stack, startStack, TENANT_A, TENANT_B, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const B = `Bearer ${TENANT_B.token}`;
// a secured value that the datamodel carries (as the management IP) and ESC's callbacks echo back
const SECRET = '10.77.0.9';

describe('the ESC audit of an instance', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let id: string;

  const instance = async () => (await http.get(`/cam/composer/api/v1/ServiceInstances/${id}`).set('Authorization', A)).body;
  const audit = () => http.get(`/cam/composer/api/v1/ServiceInstances/${id}/escRequests`).set('Authorization', A);

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    const doc = escService('ASA audited');
    const step = (doc.service.actions[0].flow.templates[0] as Record<string, { template_params: Record<string, string> }>)['ASA on ESC'];
    step.template_params.mgmt_ip = '${input_parameters.admin_password}';
    const service = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(doc).expect(200);
    const res = await http
      .post(`/cam/composer/api/v1/ServiceManifest/${service.body.serviceManifestId}/deploy`)
      .set('Authorization', A)
      .send(deployBody('audited-01', { image: 'ASAv-9.18', admin_password: SECRET }))
      .expect(200);
    id = res.body.id;
    const active = await waitFor(instance, (i) => i.Status === 'Active' || i.Status === 'Error', 'the instance to be Active');
    expect(active.Status).toBe('Active');
  });
  afterAll(() => stack?.close());

  it("lists the create with ESC's answer and its callbacks in order, the secured value masked everywhere", async () => {
    const res = await audit().expect(200);
    expect(res.body).toHaveLength(1);
    const [create] = res.body;
    expect(create).toMatchObject({
      action: { name: 'Provision', type: 'provision' },
      step_id: 'escasa0001',
      kind: 'deployment',
      connection: 'default',
      operation: 'CREATE_DEPLOYMENT',
      method: 'POST',
      path: expect.stringContaining('/deployments'),
      status: 'Succeeded',
      esc_transaction_id: expect.any(String),
      http_status: expect.any(Number),
      request_header_names: [],
    });
    expect(create.http_status).toBeGreaterThanOrEqual(200);
    expect(create.http_status).toBeLessThan(300);
    expect(create.request_body).toContain('<esc_datamodel');
    expect(create.request_body).toContain('*******');
    expect(create.callbacks.map((c: { stage: string }) => c.stage)).toEqual(['VM_DEPLOYED', 'VM_ALIVE', 'SERVICE_ALIVE']);
    for (const c of create.callbacks) {
      expect(c).toMatchObject({ outcome: 'Applied', esc_transaction_id: create.esc_transaction_id, received_time: expect.any(String), applied_time: expect.any(String) });
      expect(c.body).toContain('<');
    }
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
  });

  it('adds the terminate’s DELETE after the create', async () => {
    await http.post(`/cam/composer/api/v1/ServiceInstances/${id}/terminate`).set('Authorization', A).expect(200);
    await waitFor(instance, (i) => i.Status === 'Terminated' || i.Status === 'Error', 'the instance to be Terminated');
    const res = await audit().expect(200);
    expect(res.body.map((r: { operation: string; action: { type: string } }) => [r.operation, r.action.type])).toEqual([
      ['CREATE_DEPLOYMENT', 'provision'],
      ['DELETE_DEPLOYMENT', 'terminate'],
    ]);
    expect(res.body[1]).toMatchObject({ method: 'DELETE', status: 'Succeeded' });
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
  });

  it("is 404 for another tenant's instance, an unknown id and a malformed one", async () => {
    for (const [path, auth] of [
      [`/cam/composer/api/v1/ServiceInstances/${id}/escRequests`, B],
      ['/cam/composer/api/v1/ServiceInstances/00000000-0000-4000-8000-000000000000/escRequests', A],
      ['/cam/composer/api/v1/ServiceInstances/not-an-id/escRequests', A],
    ]) {
      const res = await http.get(path).set('Authorization', auth);
      expect({ path, status: res.status, code: res.body.error?.code }).toEqual({ path, status: 404, code: 'NOT_FOUND' });
    }
  });
});
