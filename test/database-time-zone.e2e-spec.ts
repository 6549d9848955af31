/**
 * Timestamps are written in UTC whatever the database's session time zone: the hot paths write
 * with raw statements, where PostgreSQL's now() would follow the session's TimeZone and shift
 * every time by hours on a server that is not set to UTC.
 */
import request from 'supertest';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { Stack, startStack, TENANT_A, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;

describe('timestamps on a database whose time zone is not UTC', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    // UTC+14: any time taken from the database's clock would be fourteen hours off
    stack = await startStack({ databaseTimeZone: 'Pacific/Kiritimati' });
    http = request(stack.gatewayUrl);
  });
  afterAll(() => stack?.close());

  it('stores and shows the times of a deploy, its action, VMs, callbacks and log as UTC', async () => {
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    const service = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA tz')).expect(200);
    const before = Date.now();
    const res = await http
      .post(`/cam/composer/api/v1/ServiceManifest/${service.body.serviceManifestId}/deploy`)
      .set('Authorization', A)
      .send(deployBody('tz-01', { image: 'ASAv-9.18', mgmt_ip: '10.10.0.5', admin_password: 'pw' }))
      .expect(200);
    const near = (iso: string) => Math.abs(Date.parse(iso) - before) < 120_000;
    expect({ ordered: res.body.ordered_time, near: near(res.body.ordered_time) }).toEqual({ ordered: expect.any(String), near: true });

    const active = await waitFor(
      async () => (await http.get(`/cam/composer/api/v1/ServiceInstances/${res.body.id}`).set('Authorization', A)).body,
      (i) => i.Status === 'Active' || i.Status === 'Error',
      'the instance to be Active',
    );
    expect(active.Status).toBe('Active');
    expect(active.ordered_time).toBe(res.body.ordered_time);
    expect(near(active.updated_time)).toBe(true);

    // every row the deploy wrote, read as UTC wall time: none is hours away from the test's clock
    const { rows } = await stack.db.query<{ what: string; seconds_off: number }>(
      `SELECT what, abs(extract(epoch FROM (t - $1::timestamp)))::int AS seconds_off FROM (
         SELECT 'instance created' AS what, created_at AS t FROM service_instance UNION ALL
         SELECT 'instance updated', updated_at FROM service_instance UNION ALL
         SELECT 'action created', created_at FROM action_instance UNION ALL
         SELECT 'action updated', updated_at FROM action_instance UNION ALL
         SELECT 'vm created', created_at FROM esc_vm UNION ALL
         SELECT 'vm updated', updated_at FROM esc_vm UNION ALL
         SELECT 'callback received', received_at FROM esc_callback
       ) AS times`,
      [new Date(before).toISOString()],
    );
    expect(new Set(rows.map((r) => r.what)).size).toBe(7);
    expect(rows.filter((r) => r.seconds_off > 120)).toEqual([]);
  });
});
