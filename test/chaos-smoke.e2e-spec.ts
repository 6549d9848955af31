/**
 * `npm run chaos -- --smoke`, as CI runs it: 20 instances deployed and terminated across two
 * gateways and three workers (real processes, from the TypeScript sources), while esc-sim answers
 * 503s with Retry-After, 500s, loses answers, drops requests, answers slowly and goes away for a
 * moment, a worker is SIGKILLed (at any moment, mid-send included) and replaced and Redis is "restarted empty". Every instance must
 * settle, and nothing may be lost, duplicated, mismatched, orphaned or stuck. The run makes and
 * drops its own database (chaos_<id>) and Redis keys ({chaos-<id>}), also when it is interrupted.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { testRunSettings } from './support/settings';

const root = join(__dirname, '..');
let running: ChildProcess | undefined;

function runChaos(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/chaos/run.ts', ...args], { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } });
    running = child;
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run chaos --smoke', () => {
  const settings = testRunSettings();
  const out = mkdtempSync(join(tmpdir(), 'chaos-smoke-'));
  afterAll(() => {
    // a timed-out test must not leave the run going (SIGTERM: it stops its apps and drops what it made)
    if (running && running.exitCode === null && running.signalCode === null) running.kill('SIGTERM');
    rmSync(out, { recursive: true, force: true });
  });

  it('deploys and terminates every instance through the faults, and ESC agrees with every one of them', async () => {
    const report = join(out, 'report.json');
    const { code, output } = await runChaos([
      '--smoke',
      '--no-build',
      // the e2e tests run the checkout's sources, built or not
      '--sources',
      '--report', report,
      '--logs', join(out, 'logs'),
      '--postgres-url', settings.adminUrl,
      '--redis-url', settings.redisUrl,
    ]);
    expect({ code, tail: output.slice(-4000) }).toEqual({ code: 0, tail: expect.any(String) });

    const r = JSON.parse(readFileSync(report, 'utf8'));
    expect(r.instances).toBe(20);
    expect(r.settled).toBe(20);
    expect(r.byStatus).toEqual({ Terminated: 20 });
    expect(r.counts).toEqual({ lost: 0, duplicated: 0, mismatched: 0, orphans: 0, stuck: 0, failedTransient: 0, failedOther: 0 });
    expect(r.crashed).toEqual([]);
    // the faults happened: every kind of ESC trouble, the down period, the kill and the flush
    for (const kind of ['unavailable', 'error500', 'lostAnswer', 'dropped', 'slow']) {
      expect(r.faults.ruleHits[`create.${kind}`]).toBeGreaterThan(0);
      expect(r.faults.ruleHits[`delete.${kind}`]).toBeGreaterThan(0);
    }
    expect(r.faults.events.map((e: { kind: string }) => e.kind).sort()).toEqual(['down', 'flush', 'kill']);
    expect(r.faults.downHits).toBeGreaterThan(0);
    // ESC's callbacks went to both gateways, and the comparison saw every one of them
    expect(Object.keys(r.callbacks.byGateway)).toHaveLength(2);
    expect(r.callbacks.notRead).toBe(0);
    expect(r.callbacks.acknowledged).toBeGreaterThanOrEqual(20 * 5);
    expect(r.escDeploymentsEver).toBe(20);
    expect(r.slowestSettleSeconds).toBeLessThanOrEqual(30);

    // it cleaned up after itself: its database and its Redis keys are gone
    const admin = new Client({ connectionString: settings.adminUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [r.database]);
      expect(rowCount).toBe(0);
    } finally {
      await admin.end();
    }
    const redis = new Redis(settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const left: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${r.queuePrefix}*`, 'COUNT', 1000);
        left.push(...keys);
        cursor = next;
      } while (cursor !== '0');
      expect(left).toEqual([]);
    } finally {
      redis.disconnect();
    }
  }, 240_000);
});
