/**
 * The audit log: every mutating call leaves an entry (who, tenant, roles, call, targets, status,
 * request id, address) that cannot be changed, readable by admins with filters; never a secret.
 * Refused ESC callbacks are counted and logged with their source.
 */
import request from 'supertest';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { Stack, startStack, TENANT_A, TENANT_B, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const READER = 'Bearer reader-token';

describe('audit log', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    stack = await startStack({ env: { API_TOKENS: `${TENANT_A.tenant}:${TENANT_A.token},${TENANT_B.tenant}:${TENANT_B.token},${TENANT_A.tenant}:reader-token:viewer` } });
    http = request(stack.gatewayUrl);
  });
  afterAll(() => stack?.close());

  const audit = async (query = '', auth = A) => (await http.get(`/cam/api/v1/audit${query}`).set('Authorization', auth).expect(200)).body;

  it('records every mutating call, its outcome and what it made, never its body', async () => {
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    const manifestId = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA audited')).expect(200)).body.serviceManifestId;
    const deployed = await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).set('X-Request-Id', 'req-audit-1').send(deployBody('audited-01', { image: 'ASAv-9.18', admin_password: 'never-in-the-audit' })).expect(200);
    // a refused call is recorded too: a viewer's deploy
    await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', READER).send(deployBody('by-reader', { image: 'ASAv-9.18' })).expect(403);
    await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send({ name: 5 }).expect(400);

    const { entries } = await waitFor(() => audit(), (b) => b.entries.length >= 5, 'the audit entries');
    const deploy = entries.find((e: { status: number; call: string }) => e.call === 'POST /cam/composer/api/v1/ServiceManifest/:id/deploy' && e.status === 200);
    expect(deploy).toMatchObject({
      tenantId: TENANT_A.tenant,
      subject: expect.stringMatching(new RegExp(`^token:${TENANT_A.tenant}:[0-9a-f]{8}$`)),
      via: 'api-token',
      roles: ['admin'],
      path: `/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`,
      target_ids: expect.arrayContaining([manifestId, deployed.body.id]),
      source: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(deploy.request_id).toEqual(expect.any(String));
    expect(entries.some((e: { status: number }) => e.status === 400)).toBe(true);
    const refused = entries.find((e: { status: number }) => e.status === 403);
    expect(refused).toMatchObject({ roles: ['viewer'], call: 'POST /cam/composer/api/v1/ServiceManifest/:id/deploy' });
    // each token is its own subject
    expect(refused.subject).not.toBe(deploy.subject);
    expect(entries.map((e: { call: string }) => e.call)).toEqual(expect.arrayContaining(['POST /cam/api/v1/templates', 'POST /cam/composer/api/v1/Service/createService']));
    expect(JSON.stringify(entries)).not.toContain('never-in-the-audit');
    // reads leave nothing
    expect(entries.every((e: { call: string }) => !e.call.startsWith('GET '))).toBe(true);

    // filters: by target, subject, time; pages by cursor
    expect((await audit(`?target=${deployed.body.id}`)).entries).toHaveLength(1);
    expect((await audit(`?subject=${deploy.subject}`)).entries.length).toBe(entries.length - 1);
    expect((await audit(`?from=${new Date(Date.now() + 60_000).toISOString()}`)).entries).toEqual([]);
    const first = await audit('?limit=2');
    expect(first.entries).toHaveLength(2);
    const second = await audit(`?limit=2&cursor=${first.next_cursor}`);
    expect(second.entries[0].id).not.toBe(first.entries[0].id);
    expect(BigInt(second.entries[0].id)).toBeLessThan(BigInt(first.entries[1].id));
  });

  it('is for admins of the tenant only, and refuses bad filters with a 400 naming them', async () => {
    expect((await http.get('/cam/api/v1/audit').set('Authorization', READER).expect(403)).body.error.message).toBe("this call needs the role 'admin' (the caller has: viewer)");
    // another tenant sees its own log only
    expect((await audit('', `Bearer ${TENANT_B.token}`)).entries).toEqual([]);
    for (const [query, message] of [
      ['?from=yesterday', /^from: must be an ISO 8601 date/],
      ['?limit=0', /^limit: must be an integer from 1 to 500/],
      ['?cursor=abc', /^cursor: must be the next_cursor/],
      ['?who=me', /^who: is not a filter of the audit log/],
    ] as const) {
      expect((await http.get(`/cam/api/v1/audit${query}`).set('Authorization', A).expect(400)).body.error.message).toMatch(message);
    }
  });

  it('records a call whose path holds a NUL, and the calls written with it', async () => {
    const before = (await audit('?limit=500')).entries.length;
    await http.post('/cam/composer/api/v1/ServiceInstances/abc%00def/terminate').set('Authorization', A).send({}).expect(400);
    await http.delete('/cam/api/v1/templates/00000000-0000-4000-8000-000000000000').set('Authorization', A).expect(404);
    const { entries } = await waitFor(() => audit('?limit=500'), (b) => b.entries.length >= before + 2, 'both audit entries');
    // the id as the route read it (decoded) holds the NUL: written as U+FFFD
    expect(entries.slice(0, 2).map((e: { status: number; path: string; target_ids: string[] }) => [e.status, e.path, e.target_ids])).toEqual(
      expect.arrayContaining([
        [400, '/cam/composer/api/v1/ServiceInstances/abc%00def/terminate', ['abc\ufffddef']],
        [404, '/cam/api/v1/templates/00000000-0000-4000-8000-000000000000', ['00000000-0000-4000-8000-000000000000']],
      ]),
    );
  });

  it('cannot be changed or emptied, even through SQL', async () => {
    await expect(stack.db.query(`UPDATE audit_entry SET status = 200`)).rejects.toThrow(/append-only/);
    await expect(stack.db.query(`DELETE FROM audit_entry`)).rejects.toThrow(/append-only/);
  });

  it('counts and logs the ESC callbacks it refuses for a bad token', async () => {
    const before = Number(/^cam_esc_callbacks_refused_total\{reason="unknown_token"\} (\d+)/m.exec((await http.get('/metrics')).text)?.[1] ?? 0);
    await http.post('/esc/callbacks/not-a-token').set('Content-Type', 'application/xml').send('<deployment/>').expect(404);
    await http.post('/esc/callbacks/not-a-token/events').set('Content-Type', 'application/xml').send('<deployment/>').expect(404);
    const after = Number(/^cam_esc_callbacks_refused_total\{reason="unknown_token"\} (\d+)/m.exec((await http.get('/metrics')).text)?.[1] ?? 0);
    expect(after - before).toBe(2);
  });
});
