/**
 * The stack a bench section measures: its own database (migrated, dropped afterwards), a Redis
 * key prefix of its own, and gateway, worker and esc-sim as separate processes started from the
 * build, each of which can be stopped and started again between sections.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_REDIS_URL } from '../../libs/config/src';
import { deleteRedisKeys } from '../../libs/jobs/src/queue-backend';
import { AppName, appNodeArgs } from '../../scripts/start/app-command';

export type { AppName };

export const ROOT = join(__dirname, '..', '..');
/** The PostgreSQL server (its maintenance database) and the Redis the bench uses: set from its options. */
export const servers = { postgres: 'postgresql://postgres@127.0.0.1:5432/postgres', redis: DEFAULT_REDIS_URL };

/** A database of the bench's PostgreSQL server. */
export function databaseUrl(database: string): string {
  const url = new URL(servers.postgres);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Stacks and floor servers still running, stopped by run.ts when the bench is interrupted. */
export const live = new Set<{ destroy(): Promise<void> }>();

/** Whether a child process has ended (by exiting, or killed by a signal). */
export const ended = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

export function stopChild(child: ChildProcess): Promise<void> {
  if (ended(child)) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
export const TOKEN = 'bench-token';
export type Backend = 'redis' | 'postgres';

export interface StackOptions {
  backend: Backend;
  port: number;
  simPort: number;
  callbackDelay: number;
  workerConcurrency?: number;
  /** Write a V8 CPU profile of each app into this directory when it stops. */
  cpuProfileDir?: string;
}

/** Peak resident memory (VmHWM) of a live process, in MB, from /proc (Linux). */
export function peakRssMb(pid: number | undefined): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

export async function until(what: string, fn: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function adminQuery(sql: string): Promise<void> {
  const admin = new Client({ connectionString: servers.postgres });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export class Stack {
  readonly database = `cam_esc_bench_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  readonly databaseUrl = databaseUrl(this.database);
  readonly queuePrefix = `bench-${this.database}`;
  readonly base: string;
  private readonly secretsKey = randomBytes(32).toString('base64');
  private readonly apps = new Map<AppName, ChildProcess>();
  /** Peak RSS of each app over all the times it ran (a restarted process starts from zero). */
  readonly peakRss: Partial<Record<AppName, number>> = {};

  constructor(readonly opts: StackOptions) {
    this.base = `http://127.0.0.1:${opts.port}`;
  }

  get env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(this.opts.port),
      ESC_SIM_PORT: String(this.opts.simPort),
      ESC_SIM_CALLBACK_DELAY_MS: String(this.opts.callbackDelay),
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: servers.redis,
      QUEUE_BACKEND: this.opts.backend,
      QUEUE_PREFIX: this.queuePrefix,
      API_TOKENS: `bench:${TOKEN}`,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      ESC_SIM_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      SECRETS_KEY: this.secretsKey,
      // counted (their cost is part of the figures) but never reached
      RATE_LIMIT_PER_TOKEN: '100000000',
      RATE_LIMIT_PER_TENANT: '100000000',
      RATE_LIMIT_CALLBACKS: '100000000',
      ...(this.opts.workerConcurrency ? { WORKER_CONCURRENCY: String(this.opts.workerConcurrency) } : {}),
    };
  }

  async create(): Promise<void> {
    live.add(this);
    await adminQuery(`CREATE DATABASE "${this.database}"`);
    const migrate = spawnSync(process.execPath, [join(ROOT, 'dist', 'migrate', 'scripts', 'db-migrate.js')], { cwd: ROOT, env: this.env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (migrate.status !== 0) throw new Error('db:migrate failed');
  }

  /** Starts an app unless it runs already. */
  async start(name: AppName): Promise<ChildProcess> {
    const running = this.apps.get(name);
    if (running && !ended(running)) return running;
    const profile = this.opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${this.opts.cpuProfileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : [];
    const child = spawn(process.execPath, [...profile, ...appNodeArgs(name)], {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', process.env.BENCH_LOG_LEVEL ? 'inherit' : 'ignore', 'inherit'],
    });
    this.apps.set(name, child);
    if (name === 'gateway') await until('the gateway', async () => (await fetch(`${this.base}/health`).catch(() => undefined))?.ok === true, 60_000);
    if (name === 'esc-sim') await until('esc-sim', async () => (await fetch(`http://127.0.0.1:${this.opts.simPort}/`).catch(() => undefined)) !== undefined, 60_000);
    return child;
  }

  pid(name: AppName): number | undefined {
    return this.apps.get(name)?.pid;
  }

  /** Peak RSS so far of a running app (and over its earlier runs). */
  rss(name: AppName): number | undefined {
    const now = peakRssMb(this.pid(name));
    if (now !== undefined) this.peakRss[name] = Math.max(this.peakRss[name] ?? 0, now);
    return this.peakRss[name];
  }

  async stop(name: AppName): Promise<void> {
    const child = this.apps.get(name);
    if (!child) return;
    this.rss(name);
    this.apps.delete(name);
    await stopChild(child);
  }

  async api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json().catch(() => undefined) };
  }

  async db(): Promise<Client> {
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  /** Empties the instance tables and the queues between sections (the catalog stays). */
  async clearInstances(): Promise<void> {
    const db = await this.db();
    try {
      await db.query('TRUNCATE service_instance, esc_callback CASCADE');
    } finally {
      await db.end();
    }
    if (this.opts.backend === 'redis') await deleteRedisKeys(servers.redis, `${this.queuePrefix}:*`);
  }

  async destroy(): Promise<void> {
    await Promise.all([...this.apps.keys()].map((name) => this.stop(name)));
    await adminQuery(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`).catch(() => undefined);
    if (this.opts.backend === 'redis') await deleteRedisKeys(servers.redis, `${this.queuePrefix}:*`);
    live.delete(this);
  }
}

/** The one-step service every section deploys: the reference's ASA deployment, image as an input. */
export async function createBenchService(stack: Stack): Promise<string> {
  const template = readFileSync(join(ROOT, 'test', 'fixtures', 'esc', 'deployment_create.request.xml'), 'utf8').replace('<image>ASA</image>', '<image>${image}</image>');
  const t = await stack.api('POST', '/cam/api/v1/templates', { name: 'bench-asa', version: '1', type: 'ESC', content: template });
  if (t.status >= 300) throw new Error(`template: ${t.status} ${JSON.stringify(t.json)}`);
  const service = await stack.api('POST', '/cam/composer/api/v1/Service/createService', {
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
  if (service.status >= 300) throw new Error(`createService: ${service.status} ${JSON.stringify(service.json)}`);
  return service.json.serviceManifestId as string;
}

export const deployBody = (i: number | string) => ({ name: `bench-${i}`, resourceProperties: { specifications: [{ name: 'image', value: 'ASA' }] } });
