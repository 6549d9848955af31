/**
 * An ESC that keeps failing: the connection's circuit opens, requests on it wait without being
 * sent (and without using up their attempts), /health and /metrics say which connection is
 * failing, and when ESC is back every deploy goes through.
 */
import request from 'supertest';
import { SimRequest } from './support/hook-server';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { Stack, startStack, TENANT_A, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const API = '/cam/composer/api/v1/ServiceInstances';

describe("an ESC connection's circuit breaker", () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let manifestId: string;
  const sim = () => request(stack.sim.baseUrl);
  const posts = async () => ((await sim().get('/_sim/requests')).body as SimRequest[]).filter((r) => r.method === 'POST').length;
  const failing = async () => ((await http.get('/health')).body.info?.esc?.failing ?? []) as Array<{ connection: string; state: string; workers: number }>;

  beforeAll(async () => {
    // without the circuit, 12 attempts 100-200 ms apart would be spent in about two seconds
    stack = await startStack({
      env: { ESC_RETRY_LIMIT: '12', ESC_RETRY_BASE_MS: '100', ESC_RETRY_MAX_MS: '200', ESC_CIRCUIT_RESET_MS: '1500', ESC_CIRCUIT_MIN_REQUESTS: '4', ESC_CIRCUIT_ERROR_PERCENT: '50' },
    });
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    manifestId = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA circuit')).expect(200)).body.serviceManifestId;
  });
  afterAll(() => stack?.close());

  it('opens while ESC answers 503, holds the requests without spending their attempts, reports it, and closes when ESC is back', async () => {
    await sim().post('/_sim/faults').send({ operation: 'create', respond: { status: 503, body: 'controller failing over' } }).expect(201);
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      ids.push((await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody(`circuit-0${n}`, { image: 'ASA' })).expect(200)).body.id);
    }
    const open = await waitFor(failing, (f) => f.some((c) => c.connection === 'default' && c.state === 'open'), 'the circuit of the default connection to open');
    expect(open[0]).toMatchObject({ connection: 'default', workers: 1 });
    const metrics = (await http.get('/metrics')).text;
    expect(metrics).toMatch(/cam_esc_esc_circuit_open\{connection="default",state="(open|half_open)"\} 1/);

    // open: requests are held, not sent; at most the trial requests reach ESC
    const sentWhenOpen = await posts();
    await new Promise((r) => setTimeout(r, 1000));
    expect((await posts()) - sentWhenOpen).toBeLessThanOrEqual(1);

    // an outage longer than 12 attempts' worth of backoff
    await new Promise((r) => setTimeout(r, 2500));
    await sim().delete('/_sim/faults').expect(204);
    for (const id of ids) {
      const done = await waitFor(async () => (await http.get(`${API}/${id}`).set('Authorization', A)).body, (i) => i.Status === 'Active' || i.Status === 'Error', `instance ${id} to settle`, 30_000);
      expect(done.Status).toBe('Active');
      expect(done.logs).toContain("ESC connection 'default' is failing (circuit open)");
      expect(done.logs).not.toContain('gave up');
    }
    await waitFor(failing, (f) => f.length === 0, 'the circuit to close');

    const after = (await http.get('/metrics')).text;
    // the three deploys, in the action duration histogram (every bucket up to +Inf holds them)
    expect(after).toMatch(/cam_esc_action_duration_seconds_bucket\{type="provision",status="\w+",le="\+Inf"\} 3/);
    expect(after).toMatch(/cam_esc_action_duration_seconds_count\{type="provision",status="\w+"\} 3/);
    expect(after).toContain('cam_esc_outbox_jobs 0');
    expect(after).toContain('cam_esc_sweeps_total{round="boot"} 1');
    expect(after).toMatch(/cam_esc_esc_calls\{connection="default",operation="CREATE_DEPLOYMENT",outcome="Succeeded"\} 3/);
    expect(after).not.toMatch(/cam_esc_esc_circuit_open\{/);
  });
});
