/**
 * One bench run on one queue backend: its own database (dropped afterwards), esc-sim, the worker
 * and the gateway as separate processes; N deploys over HTTP, to Active, then terminated.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { Client } from 'pg';
import { DEFAULT_REDIS_URL } from '../libs/config/src';
import { deleteRedisKeys } from '../libs/jobs/src/queue-backend';

export interface ScenarioOptions {
  backend: 'redis' | 'postgres';
  instances: number;
  concurrency: number;
  callbackDelay: number;
  port: number;
  simPort: number;
}

export interface ScenarioResult {
  backend: 'redis' | 'postgres';
  deploy: { wallSeconds: number; instancesPerSecond: number; deployRequestMs: Summary; submitToActiveMs: Summary };
  terminate: { wallSeconds: number };
  callbacksApplied: number;
  peakRssMb: { gateway?: number; worker?: number; escSim?: number };
}

type Summary = { p50: number; p95: number; p99: number; max: number };

const root = join(__dirname, '..');
const TOKEN = 'bench-token';
export const ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

const percentile = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const summary = (values: number[]): Summary => ({ p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max: Math.max(...values) });

/** Peak resident memory of a process, from /proc (Linux). */
function peakRssMb(pid: number | undefined): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

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
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

export async function runDeployScenario(opts: ScenarioOptions): Promise<ScenarioResult> {
  const database = `cam_esc_bench_${opts.backend}_${Date.now().toString(36)}`;
  const env = {
    ...process.env,
    PORT: String(opts.port),
    ESC_SIM_PORT: String(opts.simPort),
    ESC_SIM_CALLBACK_DELAY_MS: String(opts.callbackDelay),
    DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${database}`,
    QUEUE_BACKEND: opts.backend,
    QUEUE_PREFIX: `bench-${database}`,
    API_TOKENS: `bench:${TOKEN}`,
    LOG_LEVEL: 'warn',
    ESC_SIM_LOG_LEVEL: 'warn',
  };
  const base = `http://127.0.0.1:${opts.port}`;
  const children: ChildProcess[] = [];
  const start = (name: string) => {
    const child = spawn(process.execPath, [join(root, 'dist', 'apps', name, 'main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(child);
    return child;
  };
  const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json().catch(() => undefined) };
  };

  try {
    if (spawnSync(process.execPath, [join(root, 'dist', 'migrate', 'scripts', 'db-migrate.js')], { cwd: root, env, stdio: 'inherit' }).status !== 0) throw new Error('db:migrate failed');
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
        actions: [
          {
            type: 'provision',
            name: 'Provision',
            input_parameters: [{ name: 'image', required: true }],
            flow: { templates: [{ ASA: { id: 's1', template_type: 'ESC', template_name: 'bench-asa', version: '1', template_params: { image: '${input_parameters.image}' } } }], sequence: { '0': 's1' } },
          },
        ],
        plans: [{ name: 'Standard', plan_parameters: [] }],
      },
    });
    const manifest = service.json.serviceManifestId as string;

    const bar = new SingleBar({ format: `${opts.backend.padEnd(8)} {phase} [{bar}] {value}/{total}`, hideCursor: true }, Presets.shades_classic);
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
    db.on('error', () => undefined);
    const activeMs: number[] = [];
    bar.start(opts.instances, 0, { phase: 'to Active' });
    await until(
      'every instance to be Active',
      async () => {
        const { rows } = await db.query<{ id: string; status: string; active_at: Date | null }>('SELECT id, status, active_at FROM service_instance');
        const failed = rows.filter((r) => r.status === 'Error');
        if (failed.length) throw new Error(`${failed.length} instance(s) in Error`);
        const active = rows.filter((r) => r.status === 'Active');
        bar.update(active.length);
        if (active.length < opts.instances) return false;
        for (const r of active) activeMs.push(r.active_at!.getTime() - submitted.get(r.id)!);
        return true;
      },
      600_000,
    );
    bar.stop();
    const deployWallMs = Date.now() - t0;

    const t1 = Date.now();
    bar.start(opts.instances, 0, { phase: 'terminate' });
    await inBatches([...submitted.keys()], opts.concurrency, async (id) => {
      await api('POST', `/cam/composer/api/v1/ServiceInstances/${id}/terminate`, {});
      bar.increment();
    });
    bar.stop();
    await until(
      'every instance to be Terminated',
      async () => {
        const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM service_instance WHERE status = 'Terminated'");
        return rows[0].n === opts.instances;
      },
      600_000,
    );
    const terminateWallMs = Date.now() - t1;
    const { rows: cb } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM esc_callback');
    await db.end();
    return {
      backend: opts.backend,
      deploy: {
        wallSeconds: deployWallMs / 1000,
        instancesPerSecond: Math.round((opts.instances / (deployWallMs / 1000)) * 100) / 100,
        deployRequestMs: summary(requestMs),
        submitToActiveMs: summary(activeMs),
      },
      terminate: { wallSeconds: terminateWallMs / 1000 },
      callbacksApplied: cb[0].n,
      peakRssMb: { gateway: peakRssMb(gateway.pid), worker: peakRssMb(worker.pid), escSim: peakRssMb(sim.pid) },
    };
  } finally {
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(undefined) : (c.once('exit', r), c.kill('SIGTERM'))))));
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    if (opts.backend === 'redis') await deleteRedisKeys(DEFAULT_REDIS_URL, `${env.QUEUE_PREFIX}:*`);
  }
}
