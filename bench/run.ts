/**
 * `npm run bench`: deploys and terminates N instances through the real stack (gateway, worker
 * and esc-sim as separate processes, on the machine's PostgreSQL), once per queue backend (Redis,
 * and BullMQ's PostgreSQL backend), and writes what it measured side by side to
 * bench/report.json and bench/report.md. Nothing here asserts a time: it reports.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { DEFAULT_REDIS_URL } from '../libs/config/src';
import { redisAnswers } from '../libs/jobs/src/queue-backend';
import { runDeployScenario, ScenarioResult } from './deploy-scenario';
import { RenderResult, runRenderScenario } from './render-scenario';

const root = join(__dirname, '..');
const BACKENDS = ['redis', 'postgres'] as const;
const opts = new Command()
  .name('bench')
  .description('Deploy and terminate instances through gateway + worker + esc-sim on each queue backend, and report throughput, latency and memory')
  .option('-n, --instances <n>', 'instances to deploy', (v) => parseInt(v, 10), 50)
  .option('-c, --concurrency <n>', 'deploy requests in flight at once', (v) => parseInt(v, 10), 10)
  .option('--callback-delay <ms>', "esc-sim's delay between callbacks", (v) => parseInt(v, 10), 20)
  .option('--backends <list>', 'queue backends to measure, comma-separated', (v) => v.split(','), [...BACKENDS])
  .option('--port <port>', 'gateway port', (v) => parseInt(v, 10), 3900)
  .option('--sim-port <port>', 'esc-sim port', (v) => parseInt(v, 10), 8900)
  .option('--render-only', 'measure datamodel rendering only (no stack is started)')
  .option('--out <file>', 'report file (JSON; a .md is written beside it)', join(root, 'bench', 'report.json'))
  .parse()
  .opts<{ instances: number; concurrency: number; callbackDelay: number; backends: string[]; port: number; simPort: number; renderOnly?: boolean; out: string }>();

function renderTable(rendering: RenderResult[]): string[] {
  return [
    '## Rendering ESC datamodels (flow engine vs. fast-xml-parser\'s builder on the same substituted tree)',
    '',
    '| datamodel | size | engine | builder (floor) | ratio |',
    '|---|---|---|---|---|',
    ...rendering.map((r) => `| ${r.datamodel} | ${Math.round(r.bytes / 1024)} KB | ${r.engineDatamodelsPerSecond} /s | ${r.builderDatamodelsPerSecond} /s | ${r.ratioToBuilder} |`),
    '',
  ];
}

function markdown(date: string, results: ScenarioResult[], rendering: RenderResult[]): string {
  const row = (label: string, cell: (r: ScenarioResult) => string) => `| ${label} | ${results.map(cell).join(' | ')} |`;
  const ms = (s: { p50: number; p95: number; p99?: number; max?: number }, keys: Array<'p50' | 'p95' | 'p99' | 'max'>) => `${keys.map((k) => s[k]).join(' / ')} ms`;
  return [
    `# cam-esc-gateway bench, ${date}`,
    '',
    `${opts.instances} instances, ${opts.concurrency} deploy requests in flight, esc-sim callback delay ${opts.callbackDelay} ms, Node ${process.version}, queue backends side by side.`,
    '',
    `| measure | ${results.map((r) => `${r.backend} queue`).join(' | ')} |`,
    `|---|${results.map(() => '---|').join('')}`,
    row('deploy wall time (to all Active)', (r) => `${r.deploy.wallSeconds} s (${r.deploy.instancesPerSecond} instances/s)`),
    row('deploy request latency p50 / p95 / p99', (r) => ms(r.deploy.deployRequestMs, ['p50', 'p95', 'p99'])),
    row('submit → Active p50 / p95 / max', (r) => ms(r.deploy.submitToActiveMs, ['p50', 'p95', 'max'])),
    row('terminate wall time', (r) => `${r.terminate.wallSeconds} s`),
    row('callbacks applied', (r) => String(r.callbacksApplied)),
    row('peak RSS gateway / worker / esc-sim', (r) => `${r.peakRssMb.gateway} / ${r.peakRssMb.worker} / ${r.peakRssMb.escSim} MB`),
    '',
    ...renderTable(rendering),
  ].join('\n');
}

async function main(): Promise<void> {
  const unknown = opts.backends.filter((b) => !(BACKENDS as readonly string[]).includes(b));
  if (unknown.length) throw new Error(`--backends: ${unknown.join(', ')} is not one of ${BACKENDS.join(', ')}`);
  const rendering = [runRenderScenario(2), runRenderScenario(20)];
  if (!opts.renderOnly && ['apps/gateway', 'apps/worker', 'apps/esc-sim', 'migrate/scripts'].some((a) => !existsSync(join(root, 'dist', a)))) {
    if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('build failed');
  }
  const results: ScenarioResult[] = [];
  for (const backend of opts.renderOnly ? [] : (opts.backends as Array<(typeof BACKENDS)[number]>)) {
    if (backend === 'redis' && !(await redisAnswers(DEFAULT_REDIS_URL))) {
      console.error(`bench: no Redis answers on ${DEFAULT_REDIS_URL}: the redis queue backend is left out of this report`);
      continue;
    }
    results.push(await runDeployScenario({ backend, instances: opts.instances, concurrency: opts.concurrency, callbackDelay: opts.callbackDelay, port: opts.port, simPort: opts.simPort }));
  }
  const date = new Date().toISOString();
  writeFileSync(opts.out, `${JSON.stringify({ date, node: process.version, settings: opts, results, rendering }, null, 2)}\n`);
  const md = `${opts.out.replace(/\.json$/, '')}.md`;
  writeFileSync(md, markdown(date, results, rendering));
  console.log(`\n${markdown(date, results, rendering)}\nreport: ${opts.out} and ${md}`);
}

main().catch((e) => {
  console.error(`bench failed: ${(e as Error).message}`);
  process.exit(1);
});
