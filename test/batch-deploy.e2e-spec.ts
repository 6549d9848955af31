/**
 * Batch deploys: a list of instance requests (JSON, NDJSON or CSV) checked as a whole before
 * anything starts, then run by the worker at most `concurrency` at a time, against esc-sim.
 */
import { Client } from 'pg';
import request from 'supertest';
import { SimRequest } from './support/hook-server';
import { openSse } from './support/sse-client';
import { asaTemplateContent, escService } from './support/payloads';
import { Stack, startStack, TENANT_A, TENANT_B, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const B = `Bearer ${TENANT_B.token}`;

describe('batch deploys', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let manifestId: string;

  const submit = (body: unknown, query = '', type = 'application/json') => {
    const req = http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deployBatch${query}`).set('Authorization', A).set('Content-Type', type);
    return req.send(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const batch = async (id: string, query = '', auth = A) => (await http.get(`/cam/composer/api/v1/Batches/${id}${query}`).set('Authorization', auth)).body;
  const untilDone = (id: string, timeoutMs = 60_000) => waitFor(() => batch(id), (b) => b.state === 'Done' || b.state === 'Cancelled', `batch ${id} to finish`, timeoutMs);
  const instancesNamed = async (prefix: string) => (await stack.db.query(`SELECT id, status FROM service_instance WHERE name LIKE $1`, [`${prefix}%`])).rows;
  const items = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ name: `${prefix}-${String(i).padStart(3, '0')}`, parameters: { image: 'ASA' } }));

  beforeAll(async () => {
    // ESC takes a while to answer each create: the batch's concurrency shows
    stack = await startStack();
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    manifestId = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA batch')).expect(200)).body.serviceManifestId;
  });
  afterEach(() => request(stack.sim.baseUrl).delete('/_sim/faults'));
  afterAll(() => stack?.close());

  it('deploys every item of a JSON batch, at most `concurrency` at once, and counts them', async () => {
    await request(stack.sim.baseUrl).post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, delayMs: 300 }).expect(201);
    const res = await submit({ items: items('json', 12), concurrency: 3 }).expect(202);
    expect(res.body).toEqual({
      batch_id: expect.any(String),
      state: 'Running',
      concurrency: 3,
      total: 12,
      valid: 12,
      invalid_count: 0,
      invalid: [],
      // the other bound: the ESC connection its steps run on takes 16 requests in flight at once
      esc_connections: [{ name: 'default', max_in_flight: 16, in_flight: expect.any(Number) }],
    });
    // while it runs: never more than 3 started and unfinished
    let most = 0;
    let sending = 0;
    const done = await waitFor(
      async () => {
        const b = await batch(res.body.batch_id);
        expect(b.esc_connections).toEqual([{ name: 'default', max_in_flight: 16, in_flight: expect.any(Number) }]);
        // ESC takes 300 ms to answer each create: the requests waiting for it show
        sending = Math.max(sending, b.esc_connections[0].in_flight);
        // and, read from the instances themselves rather than the batch's own count, never more than 3 in progress
        const inProgress = (await stack.db.query(`SELECT count(*)::int AS n FROM service_instance WHERE name LIKE 'json-%' AND status = 'In_Progress'`)).rows[0].n;
        most = Math.max(most, b.running, inProgress);
        return b;
      },
      (b) => b.state === 'Done',
      'the batch to finish',
      60_000,
    );
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(3);
    expect(sending).toBeGreaterThan(0);
    expect(sending).toBeLessThanOrEqual(3);
    expect(done).toMatchObject({ total: 12, invalid: 0, concurrency: 3, counts: { Active: 12 }, running: 0 });
    expect(done.items).toHaveLength(12);
    expect(done.items[0]).toEqual({ index: 0, name: 'json-000', instance_id: expect.any(String), status: 'Active', error: null });
    const rows = await instancesNamed('json-');
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.status === 'Active')).toBe(true);
    // ESC got one create per item
    const creates = ((await request(stack.sim.baseUrl).get('/_sim/requests')).body as SimRequest[]).filter((r) => r.method === 'POST' && r.path.includes('/v0/deployments/'));
    expect(creates.length).toBeGreaterThanOrEqual(12);
    // pages of items, and a filter by status
    const page = await batch(res.body.batch_id, '?filter[limit]=5&filter[skip]=10');
    expect(page.items.map((i: { index: number }) => i.index)).toEqual([10, 11]);
    expect((await batch(res.body.batch_id, '?filter[where][status]=Error')).items).toEqual([]);
    const metrics = (await http.get('/metrics')).text;
    expect(metrics).toMatch(/^cam_esc_batches\{state="Done"\} [1-9]/m);
    expect(metrics).toMatch(/^cam_esc_batch_concurrency \d+/m);
    expect(metrics).toMatch(/^cam_esc_connection_max_in_flight\{tenant="",connection="default"\} 16$/m);
    expect(metrics).toMatch(/^# TYPE cam_esc_connection_in_flight gauge$/m);
  });

  it('refuses a batch with invalid items, naming each by index and field, and writes nothing', async () => {
    const batchesBefore = (await stack.db.query(`SELECT count(*)::int AS n FROM batch`)).rows[0].n;
    const list = [...items('bad', 3), { name: '' }, { name: 'bad-x', parameters: { image: '' } }, 'not an object'];
    const res = await submit({ items: list }).expect(400);
    expect(res.body.error.message).toMatch(/^3 of 6 items are invalid, nothing was started \(continue_on_invalid=true runs the valid ones\): items\[3\]: .*name.*; items\[4\]: .*image.*; items\[5\]: must be an object/);
    expect(await instancesNamed('bad-')).toEqual([]);
    const before = (await stack.db.query(`SELECT count(*)::int AS n FROM batch`)).rows[0].n;
    expect(before).toBe(batchesBefore);
    // with continue_on_invalid, the valid ones run and the invalid ones are reported
    const goOn = await submit({ items: list, continue_on_invalid: true }).expect(202);
    expect(goOn.body).toMatchObject({ total: 6, valid: 3, invalid_count: 3 });
    expect(goOn.body.invalid.map((i: { index: number }) => i.index)).toEqual([3, 4, 5]);
    const done = await untilDone(goOn.body.batch_id);
    expect(done.counts).toEqual({ Active: 3, Invalid: 3 });
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM batch`)).rows[0].n).toBe(before + 1);
  });

  it('a CSV whose format breaks after 250 good rows is refused with nothing left: no batch, no instance', async () => {
    const batchesBefore = (await stack.db.query(`SELECT count(*)::int AS n FROM batch`)).rows[0].n;
    const rows = Array.from({ length: 250 }, (_, i) => `late-${i},ASA`);
    const res = await submit(['name,image', ...rows, 'late-x,ASA,extra'].join('\n') + '\n', '', 'text/csv').expect(400);
    expect(res.body.error.message).toMatch(/^body: is not the CSV a batch takes/);
    expect(await instancesNamed('late-')).toEqual([]);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM batch`)).rows[0].n).toBe(batchesBefore);
    // an item PostgreSQL could not store, and one nested past any CAM document, are invalid items (no 500)
    const hostile = [{ name: 'nul\u0000', parameters: { image: 'ASA' } }, { name: 'deep', parameters: { image: JSON.parse('['.repeat(200) + ']'.repeat(200)) } }];
    const refused = await submit(hostile.map((h) => JSON.stringify(h)).join('\n'), '', 'application/x-ndjson').expect(400);
    expect(refused.body.error.message).toMatch(/items\[0\]: item\.name: must not contain the NUL character.*items\[1\]: item.*nested more than 64 levels deep/);
    // a line that is not JSON is named by its line and position, never quoted
    const secret = await submit('{"name": "x", "parameters": {"password": hunter2}}\n', '', 'application/x-ndjson').expect(400);
    expect(secret.body.error.message).toMatch(/items\[0\]: line 1: is not JSON/);
    expect(secret.body.error.message).not.toContain('hunter2');
  });

  it('takes NDJSON and CSV uploads, streamed', async () => {
    const ndjson = items('nd', 3).map((i) => JSON.stringify(i)).join('\n') + '\n\n';
    const nd = await submit(ndjson, '?concurrency=2', 'application/x-ndjson').expect(202);
    expect(nd.body).toMatchObject({ total: 3, valid: 3, concurrency: 2 });
    const csv = 'name,image\ncsv-000,ASA\ncsv-001,ASA\n';
    const c = await submit(csv, '', 'text/csv').expect(202);
    expect(c.body).toMatchObject({ total: 2, valid: 2 });
    expect((await untilDone(nd.body.batch_id)).counts).toEqual({ Active: 3 });
    expect((await untilDone(c.body.batch_id)).counts).toEqual({ Active: 2 });
    // a CSV line that breaks the format, a line that is not JSON, a type the call does not take
    expect((await submit('name,image\n"open quote,ASA\n', '', 'text/csv').expect(400)).body.error.message).toMatch(/^body: is not the CSV a batch takes/);
    expect((await submit('{"name": "nd-x"\n', '', 'application/x-ndjson').expect(400)).body.error.message).toMatch(/items\[0\]: line 1: is not JSON/);
    expect((await submit('<items/>', '', 'application/xml').expect(415)).body.error.message).toMatch(/^Content-Type: a batch is application\/json/);
  });

  it('streams its progress as Server-Sent Events, ending with done', async () => {
    await request(stack.sim.baseUrl).post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, delayMs: 500 }).expect(201);
    const res = await submit({ items: items('sse', 4), concurrency: 2 }).expect(202);
    const stream = await openSse(`${stack.gatewayUrl}/cam/composer/api/v1/Batches/${res.body.batch_id}/events`, { Authorization: A });
    expect(stream.status).toBe(200);
    const events = await stream.until((e) => e.event === 'done', 30_000);
    await stream.ended;
    expect(events[0].event).toBe('progress');
    expect(events.filter((e) => e.event === 'progress').length).toBeGreaterThan(1);
    expect(events.at(-1)).toEqual({ event: 'done', data: { id: res.body.batch_id, state: 'Done', total: 4, counts: { Active: 4 }, running: 0, concurrency: 2 } });
    // every progress event shows at most the concurrency running
    expect(events.every((e) => (e.data.running as number) <= 2)).toBe(true);
    expect((await http.get('/cam/composer/api/v1/Batches/00000000-0000-4000-8000-000000000000/events').set('Authorization', A)).status).toBe(404);
  });

  it('cancel stops the items not started; the started ones run on', async () => {
    await request(stack.sim.baseUrl).post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, delayMs: 1500 }).expect(201);
    const res = await submit({ items: items('cancel', 8), concurrency: 2 }).expect(202);
    await waitFor(() => batch(res.body.batch_id), (b) => b.running > 0, 'the first items to start');
    const cancelled = await http.post(`/cam/composer/api/v1/Batches/${res.body.batch_id}/cancel`).set('Authorization', A).expect(200);
    expect(cancelled.body).toMatchObject({ id: res.body.batch_id, state: 'Cancelled' });
    expect(cancelled.body.cancelled).toBeGreaterThanOrEqual(4);
    await waitFor(() => batch(res.body.batch_id), (b) => b.running === 0, 'the started items to end', 30_000);
    const after = await batch(res.body.batch_id);
    expect(after.counts.Cancelled).toBe(cancelled.body.cancelled);
    expect((after.counts.Active ?? 0) + after.counts.Cancelled).toBe(8);
    // the cancelled items' instances never ran, and are gone
    expect(await instancesNamed('cancel-')).toHaveLength(8 - cancelled.body.cancelled);
  });

  it('retry runs the failed items again at the batch\'s concurrency; terminate ends every instance of the batch', async () => {
    // ESC refuses the first 2 creates for good (a 4xx): those items end in Error
    await request(stack.sim.baseUrl).post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, respond: { status: 400, body: 'image not found' }, times: 2 }).expect(201);
    const res = await submit({ items: items('rt', 5), concurrency: 1 }).expect(202);
    const first = await untilDone(res.body.batch_id);
    expect(first.counts).toEqual({ Active: 3, Error: 2 });
    expect(first.items.filter((i: { status: string }) => i.status === 'Error').map((i: { index: number }) => i.index)).toEqual([0, 1]);

    const retried = await http.post(`/cam/composer/api/v1/Batches/${res.body.batch_id}/retry`).set('Authorization', A).expect(200);
    expect(retried.body).toMatchObject({ id: res.body.batch_id, queued: 2, skipped_count: 0, state: 'Running' });
    const again = await untilDone(res.body.batch_id);
    expect(again.counts).toEqual({ Active: 5 });

    const ended = await http.post(`/cam/composer/api/v1/Batches/${res.body.batch_id}/terminate`).set('Authorization', A).expect(200);
    expect(ended.body).toMatchObject({ queued: 5, cancelled: 0, state: 'Running' });
    expect((await untilDone(res.body.batch_id)).counts).toEqual({ Terminated: 5 });
    // nothing of it is left on ESC
    const rows = await instancesNamed('rt-');
    expect(rows.every((r) => r.status === 'Terminated')).toBe(true);
    // a retry with nothing to retry queues nothing
    expect((await http.post(`/cam/composer/api/v1/Batches/${res.body.batch_id}/retry`).set('Authorization', A).expect(200)).body).toMatchObject({ queued: 0, state: 'Done' });
  });

  it('a cancel that comes while a retry queues its items ends the retry: nothing it queued runs, the batch stays Cancelled', async () => {
    await request(stack.sim.baseUrl).post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, respond: { status: 400, body: 'image not found' }, times: 10 }).expect(201);
    const res = await submit({ items: items('race', 10), concurrency: 1 }).expect(202);
    const id = res.body.batch_id;
    expect((await untilDone(id)).counts).toEqual({ Error: 10 });
    const byIndex = (await stack.db.query(`SELECT b.index, b.service_instance_id AS instance FROM batch_item b WHERE b.batch_id = $1 ORDER BY b.index`, [id])).rows;
    // the retry stops at item 5, whose instance the test holds locked, while the cancel comes
    const holder = new Client({ connectionString: stack.env.DATABASE_URL });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM service_instance WHERE id = $1 FOR UPDATE', [byIndex[5].instance]);
    const retry = http.post(`/cam/composer/api/v1/Batches/${id}/retry`).set('Authorization', A).then((r) => r);
    const waitingOn = async (table: string) =>
      Number((await stack.db.query(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`, [`%FROM ${table} WHERE id = %FOR UPDATE%`])).rows[0].count);
    let answered: unknown;
    void retry.then((r) => (answered = r.body));
    await waitFor(async () => ({ n: await waitingOn('service_instance'), answered }), (w) => w.n >= 1 || w.answered !== undefined, 'the retry to wait for item 5');
    expect(answered).toBeUndefined();
    const cancel = http.post(`/cam/composer/api/v1/Batches/${id}/cancel`).set('Authorization', A).then((r) => r);
    await waitFor(() => waitingOn('batch'), (n) => n >= 1, 'the cancel to wait for the retry');
    await holder.query('ROLLBACK');
    await holder.end();
    const [retried, cancelled] = await Promise.all([retry, cancel]);
    expect(cancelled.status).toBe(200);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ state: 'Cancelled' });
    // the retry queued items 0 to 5 and no more; whatever had not started of them was cancelled
    expect(retried.body.queued).toBe(6);
    await new Promise((r) => setTimeout(r, 1000));
    const after = await batch(id);
    expect(after.state).toBe('Cancelled');
    expect(after.counts.Pending).toBeUndefined();
    const queuedActions = await stack.db.query(`SELECT count(*)::int AS n FROM action_instance a JOIN batch_item b ON b.service_instance_id = a.service_instance_id WHERE b.batch_id = $1 AND a.status = 'Queued'`, [id]);
    expect(queuedActions.rows[0].n).toBe(0);
    // items 6 to 9 were never retried: their instances are still in Error, with the one failed Provision
    for (const item of byIndex.slice(6)) {
      const actions = await stack.db.query(`SELECT count(*)::int AS n FROM action_instance WHERE service_instance_id = $1`, [item.instance]);
      expect(actions.rows[0].n).toBe(1);
    }
  });

  it('a retried submission with the same Idempotency-Key returns the first batch; another tenant cannot see it', async () => {
    const first = await submit({ items: items('idem', 2) }).set('Idempotency-Key', 'batch-idem-1').expect(202);
    const again = await submit({ items: items('idem', 2) }).set('Idempotency-Key', 'batch-idem-1').expect(202);
    expect(again.body.batch_id).toBe(first.body.batch_id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    await untilDone(first.body.batch_id);
    expect(await instancesNamed('idem-')).toHaveLength(2);
    expect((await http.get(`/cam/composer/api/v1/Batches/${first.body.batch_id}`).set('Authorization', B)).status).toBe(404);
  });

  it('a streamed upload under an Idempotency-Key is the same request only when its bytes are the same', async () => {
    const ndjson = (names: string[]) => names.map((name) => JSON.stringify({ name, parameters: { image: 'ASA' } })).join('\n') + '\n';
    const body = ndjson(['idnd-aa', 'idnd-bb']);
    const first = await submit(body, '', 'application/x-ndjson').set('Idempotency-Key', 'batch-idem-nd').expect(202);
    const again = await submit(body, '', 'application/x-ndjson').set('Idempotency-Key', 'batch-idem-nd').expect(202);
    expect(again.body.batch_id).toBe(first.body.batch_id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // as long, other names: another request
    const other = ndjson(['idnd-ab', 'idnd-ba']);
    expect(other.length).toBe(body.length);
    const refused = await submit(other, '', 'application/x-ndjson').set('Idempotency-Key', 'batch-idem-nd').expect(422);
    expect(refused.body.error.message).toMatch(/Idempotency-Key: 'batch-idem-nd' was used in the last 24 hours for another request/);
    await untilDone(first.body.batch_id);
    expect(await instancesNamed('idnd-')).toHaveLength(2);
  });

  it.each([
    ['no items', { items: [] }, /^items: the batch has no item/],
    ['items not a list', { items: 'x' }, /^items: is required and must be an array/],
    ['concurrency 0', { items: [{ name: 'c0', parameters: { image: 'ASA' } }], concurrency: 0 }, /^concurrency: must be an integer from 1 to 1000/],
    ['continue_on_invalid not a boolean', { items: [], continue_on_invalid: 'yes' }, /^continue_on_invalid: must be true or false/],
  ])('refuses %s with a 400 naming the field', async (_, body, message) => {
    expect((await submit(body).expect(400)).body.error.message).toMatch(message);
  });
});
