/**
 * The bench is not part of pass or fail, but it must keep working: every section runs at tiny
 * sizes (gateway, worker, esc-sim and the floors as real processes) and the report holds a
 * figure for each path. No figure is judged here.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');

let running: ChildProcess | undefined;

function runBench(out: string): Promise<{ code: number | null; output: string }> {
  const servers = [
    ...(process.env.TEST_DATABASE_URL ? ['--postgres-url', process.env.TEST_DATABASE_URL] : []),
    ...(process.env.TEST_REDIS_URL ? ['--redis-url', process.env.TEST_REDIS_URL] : []),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', '--out', out, '--port', '3991', '--sim-port', '8991', '--floor-port', '3992', ...servers], {
      cwd: root,
    });
    running = child;
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run bench --smoke', () => {
  const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  afterAll(() => {
    // a timed-out test must not leave the bench running (SIGTERM: it drops what it made)
    if (running && running.exitCode === null && running.signalCode === null) running.kill('SIGTERM');
    rmSync(out, { recursive: true, force: true });
  });

  it('runs every section and reports each path against its floor', async () => {
    const { code, output } = await runBench(out);
    expect({ code, tail: output.slice(-3000) }).toEqual({ code: 0, tail: expect.any(String) });

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const positive = expect.any(Number);
    expect(report.accept.gateway.requests).toBeGreaterThan(0);
    expect(report.accept.floor.requests).toBeGreaterThan(0);
    expect(report.accept.ratio).toEqual(positive);
    expect(report.callbacks.gateway.requests).toBeGreaterThan(0);
    expect(report.callbacks.floor.requests).toBeGreaterThan(0);
    expect(report.endToEnd.map((e: { backend: string }) => e.backend)).toEqual(['redis', 'postgres']);
    for (const e of report.endToEnd) {
      expect(e.deploy.deploysPerSecond).toBeGreaterThan(0);
      expect(e.transactionsPerDeploy).toBeGreaterThan(0);
      expect(e.callbacksApplied).toBeGreaterThan(0);
    }
    expect(report.rendering).toHaveLength(2);
    expect(report.lists.sizes.map((s: { instances: number }) => s.instances)).toEqual([20, 200]);
    expect(report.peakRssMb.gateway).toBeGreaterThan(0);
    expect(report.peakRssMb.worker).toBeGreaterThan(0);

    const md = readFileSync(join(out, 'REPORT.md'), 'utf8');
    for (const path of ['deploy accept', 'callback ingest', 'end to end on the redis queue', 'end to end on the postgres queue', 'rendering a 2-group', 'filter[limit]=50', 'peak RSS']) {
      expect(md).toContain(path);
    }
  }, 600_000);
});
