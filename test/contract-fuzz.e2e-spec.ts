/**
 * The served OpenAPI document, fuzzed: every operation of /docs-json gets generated requests
 * (what the document allows, what it forbids, and none without a token) against the real
 * gateway, worker and esc-sim, over records that exist (a template, a service and its version,
 * an Active instance, an action instance, a batch, a connection, a shared parameter, an icon).
 * No answer may be a 5xx, have a status, media type or body the document does not describe, or
 * accept what it forbids. A small budget here (FUZZ_CASES per operation, 25 unless set); `npm run
 * fuzz` runs the same fuzzer against any gateway with a larger one. The report (statuses answered
 * per operation, findings) is written to test-output/contract-fuzz.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { fuzz } from '../scripts/contract-fuzz/fuzz';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { Stack, startStack, TENANT_A, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

describe('contract fuzz of the OpenAPI document', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  const ids: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
    const template = await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    const service = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA fuzzed')).expect(200);
    const manifestId: string = service.body.serviceManifestId;
    await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/publish`).set('Authorization', A).send({}).expect(200);
    const deployed = await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody('fuzzed-asa', { image: 'ASA' })).expect(200);
    const instance = await waitFor(
      async () => (await http.get(`/cam/composer/api/v1/ServiceInstances/${deployed.body.id}`).set('Authorization', A)).body,
      (i) => i.Status === 'Active',
      'the instance to be Active',
    );
    const batch = await http
      .post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deployBatch`)
      .set('Authorization', A)
      .send({ items: [{ name: 'fuzzed-batch-1', parameters: { image: 'ASA' } }], concurrency: 1 })
      .expect(202);
    const connection = await http.post('/cam/api/v1/connections').set('Authorization', A).send({ name: 'esc-fuzzed', url: stack.sim.url, username: 'admin', password: 'esc-secret-pw' }).expect(201);
    const shared = await http
      .post('/cam/api/v1/sharedparameters')
      .set('Authorization', A)
      .send({ name: 'FuzzedBastion', datatype: 'bastionhost', values: { bastion_host: 'bastion.example.com', bastion_password: 'pw' }, secured_keys: ['bastion_password'] })
      .expect(201);
    const icon = await http.post(`/cam/composer/api/v1/icons/upload?tenantId=${TENANT_A.tenant}&ace_orgGuid=all`).set('Authorization', A).attach('icon', PNG, { filename: 'fuzzed.png', contentType: 'image/png' }).expect(200);
    ids.push(template.body.id, service.body.id, manifestId, instance.id, instance.actionInstanceDetails?.[0]?.id, batch.body.batch_id, connection.body.id, shared.body.id, icon.body.res.id, icon.body.res.name);
  }, 90_000);
  afterAll(() => stack?.close());

  it('finds no answer the document does not describe', async () => {
    const report = await fuzz({ baseUrl: stack.gatewayUrl, token: TENANT_A.token, tenantId: TENANT_A.tenant, cases: Number(process.env.FUZZ_CASES ?? 25), seed: Number(process.env.FUZZ_SEED ?? 20261202), knownIds: ids.filter(Boolean) });
    // for a reviewer: every status each operation answered, and the findings
    mkdirSync(join(__dirname, '..', 'test-output'), { recursive: true });
    writeFileSync(join(__dirname, '..', 'test-output', 'contract-fuzz.json'), JSON.stringify(report, null, 2));
    expect(report.operations).toBeGreaterThanOrEqual(60);
    // every case was tried: none kept back by the rate limits
    expect(report.rateLimited).toBe(0);
    // the seeded records were reached: some reads of them answered 200
    expect(report.statuses['GET /cam/composer/api/v1/ServiceInstances/{id}']?.['200']).toBeGreaterThan(0);
    expect(report.statuses['GET /cam/composer/api/v1/ServiceManifest/{id}']?.['200']).toBeGreaterThan(0);
    expect(report.findings.map((f) => `${f.check}  ${f.operation}  ${f.message}  (${f.times}×)\n    ${f.example.request}\n    → ${f.example.response.slice(0, 400)}`)).toEqual([]);
  }, 600_000);
});
