/**
 * A batch: N items through one `deployBatch`, uploaded as NDJSON that is made as it streams (the
 * bench holds no list of them either), from the first byte sent to every item Active, with the
 * peak RSS of a gateway and a worker started for it alone.
 */
import { SingleBar, Presets } from 'cli-progress';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { peakRssMb, Stack, TOKEN, until } from '../lib/stack';

export interface BatchResult {
  items: number;
  concurrency: number;
  /** From the first byte of the upload to the 202 (every item checked and written). */
  submitSeconds: number;
  /** From the first byte of the upload to every item Active. */
  wallSeconds: number;
  itemsPerSecond: number;
  peakRssMb: { gateway?: number; worker?: number };
}

/** The items as NDJSON lines, made one by one as the upload asks for them. */
function ndjson(items: number): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i === items) return void this.push(null);
      const lines: string[] = [];
      for (let n = 0; n < 200 && i < items; n++, i++) lines.push(JSON.stringify({ name: `batch-${i}`, parameters: { image: 'ASA' } }));
      this.push(`${lines.join('\n')}\n`);
    },
  });
}

export async function measureBatch(stack: Stack, manifest: string, items: number, concurrency: number): Promise<BatchResult> {
  // a gateway and a worker of their own: their peak is the batch's
  await Promise.all((['gateway', 'worker'] as const).map((app) => stack.stop(app)));
  await stack.start('gateway');
  await stack.start('worker');
  const bar = new SingleBar({ format: 'batch {phase} [{bar}] {value}/{total}', hideCursor: true }, Presets.shades_classic);
  const db = await stack.db();
  try {
    bar.start(items, 0, { phase: 'submit   ' });
    const t0 = Date.now();
    const res = await request(`http://127.0.0.1:${stack.opts.port}/cam/composer/api/v1/ServiceManifest/${manifest}/deployBatch?concurrency=${concurrency}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/x-ndjson' },
      body: ndjson(items),
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const answer = (await res.body.json()) as { batch_id?: string; valid?: number };
    if (res.statusCode !== 202 || answer.valid !== items) throw new Error(`deployBatch answered ${res.statusCode}: ${JSON.stringify(answer).slice(0, 500)}`);
    const submitted = Date.now();
    bar.update(0, { phase: 'to Active' });
    await until(
      'every item to be Active',
      async () => {
        const [row] = (await db.query<{ active: number; error: number }>(
          `SELECT count(*) FILTER (WHERE si.status = 'Active')::int AS active, count(*) FILTER (WHERE si.status = 'Error')::int AS error
             FROM batch_item b JOIN service_instance si ON si.id = b.service_instance_id WHERE b.batch_id = $1`,
          [answer.batch_id],
        )).rows;
        if (row.error > 0) throw new Error(`${row.error} batch item(s) in Error`);
        bar.update(row.active);
        return row.active === items;
      },
      6 * 3600_000,
      1000,
    );
    const wall = (Date.now() - t0) / 1000;
    bar.stop();
    return {
      items,
      concurrency,
      submitSeconds: Math.round((submitted - t0) / 100) / 10,
      wallSeconds: Math.round(wall * 10) / 10,
      itemsPerSecond: Math.round((items / wall) * 100) / 100,
      peakRssMb: { gateway: peakRssMb(stack.pid('gateway')), worker: peakRssMb(stack.pid('worker')) },
    };
  } finally {
    bar.stop();
    await db.end();
  }
}
