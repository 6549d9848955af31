/**
 * `npm run bench`: deploys and terminates N instances through the real stack (gateway, worker
 * and esc-sim as separate processes, on PostgreSQL and Redis) and writes what it measured to
 * bench/report.json and bench/report.md. Nothing here asserts a time: it reports.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { Command } from 'commander';
import { Client } from 'pg';

const root = join(__dirname, '..');
const program = new Command()
  .name('bench')
  .description('Deploy and terminate instances through gateway + worker + esc-sim, and report throughput, latency and memory')
  .option('-n, --instances <n>', 'instances to deploy', (v) => parseInt(v, 10), 50)
  .option('-c, --concurrency <n>', 'deploy requests in flight at once', (v) => parseInt(v, 10), 10)
  .option('--callback-delay <ms>', "esc-sim's delay between callbacks", (v) => parseInt(v, 10), 20)
  .option('--port <port>', 'gateway port', (v) => parseInt(v, 10), 3900)
  .option('--sim-port <port>', 'esc-sim port', (v) => parseInt(v, 10), 8900)
  .option('--out <file>', 'report file (JSON; a .md is written beside it)', join(root, 'bench', 'report.json'))
  .parse();
const opts = program.opts<{ instances: number; concurrency: number; callbackDelay: number; port: number; simPort: number; out: string }>();

const TOKEN = 'bench-token';
const base = `http://127.0.0.1:${opts.port}`;
const adminUrl = 'postgresql://postgres@127.0.0.1:5432/postgres';
const database = `cam_esc_bench_${Date.now().toString(36)}`;
const env = {
  ...process.env,
  PORT: String(opts.port),
  ESC_SIM_PORT: String(opts.simPort),
  ESC_SIM_CALLBACK_DELAY_MS: String(opts.callbackDelay),
  DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${database}`,
  QUEUE_PREFIX: `bench-${database}`,
  API_TOKENS: `bench:${TOKEN}`,
  LOG_LEVEL: 'warn',
  ESC_SIM_LOG_LEVEL: 'warn',
};
const children: ChildProcess[] = [];

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => undefined) };
}

function start(name: string): ChildProcess {
  const child = spawn(process.execPath, [join(root, 'dist', 'apps', name, 'main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
}

/** Peak resident memory of a process, from /proc (Linux). */
function peakRssMb(pid: number | undefined): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

const percentile = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const summary = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max: Math.max(...values) });

async function until(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function inBatches<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function main(): Promise<void> {
  if (['gateway', 'worker', 'esc-sim'].some((a) => !existsSync(join(root, 'dist', 'apps', a, 'main.js')))) {
    if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('build failed');
  }
  if (spawnSync('npx', ['tsx', 'scripts/db-migrate.ts'], { cwd: root, env, stdio: 'inherit' }).status !== 0) throw new Error('db:migrate failed');
  const sim = start('esc-sim');
  const worker = start('worker');
  const gateway = start('gateway');
  await until('the gateway', async () => (await fetch(`${base}/health`)).ok, 60_000);

  const template = readFileSync(join(root, 'test', 'fixtures', 'esc', 'deployment_create.request.xml'), 'utf8').replace('<image>ASA</image>', '<image>${image}</image>');
  await api('POST', '/cam/api/v1/templates', { name: 'bench-asa', version: '1', type: 'ESC', content: template });
  const service = await api('POST', '/cam/composer/api/v1/Service/createService', {
    service: {
      catalog_metadata: { name: 'bench', category: 'Bench' },
      version: '1.0.0.0',
      actions: [{ type: 'provision', name: 'Provision', input_parameters: [{ name: 'image', required: true }],
        flow: { templates: [{ ASA: { id: 's1', template_type: 'ESC', template_name: 'bench-asa', version: '1', template_params: { image: '${input_parameters.image}' } } }], sequence: { '0': 's1' } } }],
      plans: [{ name: 'Standard', plan_parameters: [] }],
    },
  });
  const manifest = service.json.serviceManifestId as string;

  const bar = new SingleBar({ format: '{phase} [{bar}] {value}/{total}', hideCursor: true }, Presets.shades_classic);
  const submitted = new Map<string, number>();
  const requestMs: number[] = [];
  const t0 = Date.now();
  bar.start(opts.instances, 0, { phase: 'deploy   ' });
  await inBatches([...Array(opts.instances).keys()], opts.concurrency, async (i) => {
    const t = Date.now();
    const res = await api('POST', `/cam/composer/api/v1/ServiceManifest/${manifest}/deploy`, { name: `bench-${i}`, resourceProperties: { specifications: [{ name: 'image', value: 'ASA' }] } });
    requestMs.push(Date.now() - t);
    if (res.status !== 200) throw new Error(`deploy answered ${res.status}: ${JSON.stringify(res.json)}`);
    submitted.set(res.json.id, t);
    bar.increment();
  });
  bar.stop();

  const db = new Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const activeMs: number[] = [];
  bar.start(opts.instances, 0, { phase: 'to Active' });
  await until('every instance to be Active', async () => {
    const { rows } = await db.query<{ id: string; status: string; active_at: Date | null }>('SELECT id, status, active_at FROM service_instance');
    const failed = rows.filter((r) => r.status === 'Error');
    if (failed.length) throw new Error(`${failed.length} instance(s) in Error`);
    const active = rows.filter((r) => r.status === 'Active');
    bar.update(active.length);
    if (active.length < opts.instances) return false;
    for (const r of active) activeMs.push(r.active_at!.getTime() - submitted.get(r.id)!);
    return true;
  }, 600_000);
  bar.stop();
  const deployWallMs = Date.now() - t0;

  const t1 = Date.now();
  bar.start(opts.instances, 0, { phase: 'terminate' });
  await inBatches([...submitted.keys()], opts.concurrency, async (id) => {
    await api('POST', `/cam/composer/api/v1/ServiceInstances/${id}/terminate`, {});
    bar.increment();
  });
  bar.stop();
  await until('every instance to be Terminated', async () => {
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM service_instance WHERE status = 'Terminated'");
    return rows[0].n === opts.instances;
  }, 600_000);
  const terminateWallMs = Date.now() - t1;
  const { rows: cb } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM esc_callback');
  await db.end();

  const report = {
    date: new Date().toISOString(),
    node: process.version,
    settings: opts,
    deploy: {
      instances: opts.instances,
      wallSeconds: deployWallMs / 1000,
      instancesPerSecond: Math.round((opts.instances / (deployWallMs / 1000)) * 100) / 100,
      deployRequestMs: summary(requestMs),
      submitToActiveMs: summary(activeMs),
    },
    terminate: { wallSeconds: terminateWallMs / 1000 },
    callbacksApplied: cb[0].n,
    peakRssMb: { gateway: peakRssMb(gateway.pid), worker: peakRssMb(worker.pid), escSim: peakRssMb(sim.pid) },
  };
  writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  const md = opts.out.replace(/\.json$/, '') + '.md';
  writeFileSync(
    md,
    [
      `# cam-esc-gateway bench, ${report.date}`,
      '',
      `${opts.instances} instances, ${opts.concurrency} deploy requests in flight, esc-sim callback delay ${opts.callbackDelay} ms, Node ${process.version}.`,
      '',
      '| measure | value |',
      '|---|---|',
      `| deploy wall time | ${report.deploy.wallSeconds} s (${report.deploy.instancesPerSecond} instances/s) |`,
      `| deploy request latency p50 / p95 / p99 | ${report.deploy.deployRequestMs.p50} / ${report.deploy.deployRequestMs.p95} / ${report.deploy.deployRequestMs.p99} ms |`,
      `| submit → Active p50 / p95 / max | ${report.deploy.submitToActiveMs.p50} / ${report.deploy.submitToActiveMs.p95} / ${report.deploy.submitToActiveMs.max} ms |`,
      `| terminate wall time | ${report.terminate.wallSeconds} s |`,
      `| callbacks applied | ${report.callbacksApplied} |`,
      `| peak RSS gateway / worker / esc-sim | ${report.peakRssMb.gateway} / ${report.peakRssMb.worker} / ${report.peakRssMb.escSim} MB |`,
      '',
    ].join('\n'),
  );
  console.log(`\nreport: ${opts.out} and ${md}`);
}

async function cleanup(): Promise<void> {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
}

main()
  .then(cleanup)
  .catch(async (e) => {
    console.error(`bench failed: ${(e as Error).message}`);
    await cleanup().catch(() => undefined);
    process.exit(1);
  });
