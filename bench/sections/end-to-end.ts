/**
 * End to end: N deploys, C at a time, from request to Active, on a running worker and esc-sim;
 * then terminated. The database transactions they cost are read from pg_stat_database, and the
 * floor is pgbench's simple-update rate divided by the transactions one deploy needs.
 */
import { SingleBar, Presets } from 'cli-progress';
import { Client } from 'pg';
import { deployBody, Stack, until } from '../lib/stack';

export interface EndToEndResult {
  backend: string;
  instances: number;
  concurrency: number;
  deploy: { wallSeconds: number; deploysPerSecond: number; requestMs: Summary; submitToActiveMs: Summary };
  /** Committed and rolled-back transactions in the gateway's database per deploy (the bench's own polling subtracted). */
  transactionsPerDeploy: number;
  terminate: { wallSeconds: number; transactionsPerTerminate: number };
  callbacksApplied: number;
}

export type Summary = { p50: number; p95: number; p99: number; max: number };

const percentile = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const summary = (values: number[]): Summary => ({ p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max: Math.max(...values) });

async function inBatches<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** Counts the database's transactions, less the ones its own queries make. */
class TransactionCounter {
  private own = 0;
  constructor(
    private readonly db: Client,
    private readonly database: string,
    private readonly settleMs: number,
  ) {}

  async query<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.own++;
    return (await this.db.query<T>(sql, params)).rows;
  }

  /**
   * Connections publish their counts when idle, and on PostgreSQL 15 up to 10 s late when they
   * published less than a second before: wait that out, then read.
   */
  async read(): Promise<number> {
    await new Promise((r) => setTimeout(r, this.settleMs));
    const [row] = await this.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1', [this.database]);
    return Number(row.n) - this.own;
  }
}

export async function measureEndToEnd(stack: Stack, manifest: string, instances: number, concurrency: number, statsSettleMs = 11_000): Promise<EndToEndResult> {
  const db = await stack.db();
  const tx = new TransactionCounter(db, stack.database, statsSettleMs);
  const bar = new SingleBar({ format: `end to end (${stack.opts.backend.padEnd(8)}) {phase} [{bar}] {value}/{total}`, hideCursor: true }, Presets.shades_classic);
  try {
    const before = await tx.read();
    const submitted = new Map<string, number>();
    const requestMs: number[] = [];
    const t0 = Date.now();
    bar.start(instances, 0, { phase: 'deploy   ' });
    await inBatches([...Array(instances).keys()], concurrency, async (i) => {
      const t = Date.now();
      const res = await stack.api('POST', `/cam/composer/api/v1/ServiceManifest/${manifest}/deploy`, deployBody(`e2e-${i}`));
      requestMs.push(Date.now() - t);
      if (res.status !== 200) throw new Error(`deploy answered ${res.status}: ${JSON.stringify(res.json)}`);
      submitted.set(res.json.id, t);
      bar.increment();
    });
    bar.update(0, { phase: 'to Active' });
    const activeMs: number[] = [];
    await until(
      'every instance to be Active',
      async () => {
        const rows = await tx.query<{ id: string; status: string; active_at: Date | null }>("SELECT id, status, active_at FROM service_instance WHERE status IN ('Active', 'Error')");
        if (rows.some((r) => r.status === 'Error')) throw new Error(`${rows.filter((r) => r.status === 'Error').length} instance(s) in Error`);
        bar.update(rows.length);
        if (rows.length < instances) return false;
        for (const r of rows) activeMs.push(r.active_at!.getTime() - submitted.get(r.id)!);
        return true;
      },
      600_000,
      200,
    );
    const deployWallMs = Date.now() - t0;
    bar.stop();
    const afterDeploy = await tx.read();

    const t1 = Date.now();
    bar.start(instances, 0, { phase: 'terminate' });
    await inBatches([...submitted.keys()], concurrency, async (id) => {
      const res = await stack.api('POST', `/cam/composer/api/v1/ServiceInstances/${id}/terminate`, {});
      if (res.status >= 300) throw new Error(`terminate answered ${res.status}: ${JSON.stringify(res.json)}`);
      bar.increment();
    });
    await until(
      'every instance to be Terminated',
      async () => {
        const [row] = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM service_instance WHERE status = 'Terminated'");
        bar.update(row.n);
        return row.n === instances;
      },
      600_000,
      200,
    );
    const terminateWallMs = Date.now() - t1;
    bar.stop();
    const afterTerminate = await tx.read();
    const [cb] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM esc_callback');
    return {
      backend: stack.opts.backend,
      instances,
      concurrency,
      deploy: {
        wallSeconds: deployWallMs / 1000,
        deploysPerSecond: Math.round((instances / (deployWallMs / 1000)) * 100) / 100,
        requestMs: summary(requestMs),
        submitToActiveMs: summary(activeMs),
      },
      transactionsPerDeploy: Math.round(((afterDeploy - before) / instances) * 10) / 10,
      terminate: { wallSeconds: terminateWallMs / 1000, transactionsPerTerminate: Math.round(((afterTerminate - afterDeploy) / instances) * 10) / 10 },
      callbacksApplied: cb.n,
    };
  } finally {
    bar.stop();
    await db.end();
  }
}
