/**
 * The chaos run's stack: a database of its own (created from scratch, migrated with the code of
 * `npm run db:migrate`, dropped at the end), a Redis key prefix of its own (deleted at the end),
 * one esc-sim, N gateways and M workers as separate processes, from the build (dist/) or from
 * the TypeScript sources (through test/support/ts-register.js, as the e2e tests run them).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { applyMigrations, ensureDatabase } from '../../libs/persistence/src/migrations/migrate';
import { deleteRedisKeys } from '../../libs/jobs/src/queue-backend';
import { appNodeArgs } from '../start/app-command';

export const ROOT = join(__dirname, '..', '..');
export const TOKEN = `chaos-${randomBytes(6).toString('hex')}`;
export const TENANT = 'chaos';
const ESC_USER = 'admin';
const ESC_PASSWORD = randomBytes(9).toString('base64url');

export type AppKind = 'gateway' | 'worker' | 'esc-sim';

export interface StackSettings {
  postgresUrl: string;
  redisUrl: string;
  gateways: number;
  workers: number;
  /** From the TypeScript sources rather than dist/. */
  sources: boolean;
  callbackDelayMs: number;
  logLevel: string;
  logDir: string;
}

export interface App {
  name: string;
  kind: AppKind;
  child: ChildProcess;
  /** Where its output goes (a file under the log folder). */
  logFile: string;
  startedAt: number;
  /** The last few KB of its output (for failure messages). */
  tail(): string;
  /** Whether it said it runs (a worker's "worker running" line; gateways and esc-sim are asked over HTTP). */
  ready: boolean;
}

/** What a worker prints once it runs (apps/worker/src/main.ts). */
const WORKER_READY = 'worker running';

export const distComplete = () => ['apps/gateway/main.js', 'apps/worker/main.js', 'apps/esc-sim/main.js'].every((f) => existsSync(join(ROOT, 'dist', f)));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ended = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;

async function until(what: string, fn: () => Promise<boolean>, timeoutMs: number, app?: App): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (app && ended(app.child)) throw new Error(`${app.name} exited while starting (see ${app.logFile}):\n${app.tail().slice(-2000)}`);
    if (await fn().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${app ? ` (see ${app.logFile})` : ''}`);
    await sleep(200);
  }
}

export class ChaosStack {
  readonly id = randomBytes(4).toString('hex');
  readonly database = `chaos_${this.id}`;
  readonly queuePrefix = `{chaos-${this.id}}`;
  readonly databaseUrl: string;
  readonly secretsKey = randomBytes(32).toString('hex');
  simPort = 0;
  gatewayUrls: string[] = [];
  readonly apps: App[] = [];
  private workerSeq = 0;
  private created = false;
  private logs: WriteStream[] = [];

  constructor(readonly settings: StackSettings) {
    const url = new URL(settings.postgresUrl);
    url.pathname = `/${this.database}`;
    this.databaseUrl = url.toString();
  }

  get simBase(): string {
    return `http://127.0.0.1:${this.simPort}`;
  }
  get escUrl(): string {
    return `${this.simBase}/ESCManager`;
  }
  get escAuth(): string {
    return `Basic ${Buffer.from(`${ESC_USER}:${ESC_PASSWORD}`).toString('base64')}`;
  }
  get workers(): App[] {
    return this.apps.filter((a) => a.kind === 'worker' && !ended(a.child));
  }

  private env(extra: Record<string, string>): NodeJS.ProcessEnv {
    return {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.settings.redisUrl,
      QUEUE_BACKEND: 'redis',
      QUEUE_PREFIX: this.queuePrefix,
      ESC_URL: this.escUrl,
      ESC_USERNAME: ESC_USER,
      ESC_PASSWORD,
      API_TOKENS: `${TENANT}:${TOKEN}`,
      SECRETS_KEY: this.secretsKey,
      ESC_CALLBACK_TIMEOUT_SECONDS: '5',
      ESC_RETRY_BASE_MS: '200',
      ESC_RETRY_MAX_MS: '2000',
      ESC_RETRY_LIMIT: '12',
      ESC_CIRCUIT_RESET_MS: '1000',
      LOG_LEVEL: this.settings.logLevel,
      ESC_SIM_LOG_LEVEL: this.settings.logLevel,
      ...extra,
    };
  }

  /** The database (from scratch, then every migration) and the ports. */
  async create(log: (line: string) => void): Promise<void> {
    mkdirSync(this.settings.logDir, { recursive: true });
    this.created = true;
    if (!(await ensureDatabase(this.databaseUrl))) throw new Error(`database ${this.database} exists already`);
    const result = await applyMigrations(this.databaseUrl, join(ROOT, 'prisma', 'migrations'));
    log(`database ${this.database}: ${result.applied.length} migrations applied; Redis prefix ${this.queuePrefix}`);
    this.simPort = await freePort();
    for (let g = 0; g < this.settings.gateways; g++) this.gatewayUrls.push(`http://127.0.0.1:${await freePort()}`);
  }

  private spawnApp(kind: AppKind, name: string, env: NodeJS.ProcessEnv): App {
    const args = this.settings.sources
      ? ['-r', join(ROOT, 'test', 'support', 'ts-register.js'), join(ROOT, 'apps', kind, 'src', 'main.ts')]
      : appNodeArgs(kind);
    const logFile = join(this.settings.logDir, `${name}.log`);
    const out = createWriteStream(logFile, { flags: 'a' });
    this.logs.push(out);
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const take = (d: Buffer) => {
      out.write(d);
      // the ready line may straddle two chunks, and a busy app's output soon pushes it out of the tail
      if (!app.ready && (tail.slice(-WORKER_READY.length) + d.toString()).includes(WORKER_READY)) app.ready = true;
      tail = (tail + d.toString()).slice(-8000);
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.once('exit', (code, signal) => out.write(`\n[chaos] ${name} exited: ${signal ?? code}\n`));
    const app: App = { name, kind, child, logFile, startedAt: Date.now(), tail: () => tail, ready: false };
    this.apps.push(app);
    return app;
  }

  async startSim(): Promise<void> {
    const app = this.spawnApp('esc-sim', 'esc-sim', this.env({
      ESC_SIM_PORT: String(this.simPort),
      ESC_SIM_HOST: '127.0.0.1',
      ESC_SIM_USERNAME: ESC_USER,
      ESC_SIM_PASSWORD: ESC_PASSWORD,
      ESC_SIM_CALLBACK_DELAY_MS: String(this.settings.callbackDelayMs),
    }));
    await until('esc-sim', async () => (await fetch(`${this.simBase}/_sim/health`)).ok, 60_000, app);
  }

  async startGateways(): Promise<void> {
    await Promise.all(this.gatewayUrls.map(async (url, g) => {
      const app = this.spawnApp('gateway', `gateway-${g + 1}`, this.env({ PORT: new URL(url).port }));
      await until(`gateway-${g + 1}`, async () => (await fetch(`${url}/health`)).ok, 90_000, app);
    }));
  }

  /** A worker whose callbacks (PUBLIC_URL) go to one of the gateways, round-robin. */
  async startWorker(): Promise<App> {
    const n = ++this.workerSeq;
    const publicUrl = this.gatewayUrls[(n - 1) % this.gatewayUrls.length];
    const app = this.spawnApp('worker', `worker-${n}`, this.env({ PUBLIC_URL: publicUrl }));
    await until(`worker-${n}`, async () => app.ready, 90_000, app);
    return app;
  }

  async startWorkers(count: number): Promise<void> {
    await Promise.all(Array.from({ length: count }, () => this.startWorker()));
  }

  /** SIGKILL (as an OOM kill or a crash would), and wait for the exit. */
  async kill(app: App): Promise<void> {
    if (ended(app.child)) return;
    const exited = new Promise((r) => app.child.once('exit', r));
    app.child.kill('SIGKILL');
    await exited;
  }

  /** "Redis restarted empty": every key of the run's prefix is deleted. */
  async flushRedis(): Promise<void> {
    await deleteRedisKeys(this.settings.redisUrl, `${this.queuePrefix}*`);
  }

  /** Apps that ended without being asked to (not by the run's SIGKILL). */
  crashed(): App[] {
    return this.apps.filter((a) => ended(a.child) && a.child.signalCode !== 'SIGKILL');
  }

  async db(): Promise<Client> {
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  /** Stops every app (SIGTERM, then SIGKILL after 10 s), drops the database and deletes the run's Redis keys. */
  async destroy(): Promise<void> {
    await Promise.all(this.apps.filter((a) => !ended(a.child)).map(async (a) => {
      const exited = new Promise((r) => a.child.once('exit', r));
      a.child.kill('SIGTERM');
      const timer = setTimeout(() => a.child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }));
    for (const log of this.logs) log.end();
    if (!this.created) return;
    const admin = new Client({ connectionString: this.settings.postgresUrl });
    admin.on('error', () => undefined);
    try {
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`);
    } finally {
      await admin.end().catch(() => undefined);
    }
    await this.flushRedis();
  }
}
