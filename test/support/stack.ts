/**
 * The real thing, in one Jest worker: esc-sim, the gateway (HTTP on a free port) and the worker,
 * over a PostgreSQL database of this suite's own (cloned from the run's migrated template) and
 * BullMQ on Redis under a key prefix of its own, or (E2E_QUEUE_BACKEND=postgres, the e2e-pg-queue
 * project) on BullMQ's PostgreSQL backend in that database. Nothing of ours is stubbed.
 */
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { AppConfig } from '../../libs/config/src';
import { createGateway } from '../../apps/gateway/src/bootstrap';
import { createWorker, drainWorkers } from '../../apps/worker/src/bootstrap';
import { RunningEscSim, startEscSim } from '../../apps/esc-sim/src/esc-sim';
import { QUEUE_SCHEMA, QueueBackendKind } from '../../libs/jobs/src';
import { testRunSettings } from './settings';

export const TENANT_A = { tenant: 'tenant-a', token: 'token-a' };
export const TENANT_B = { tenant: 'tenant-b', token: 'token-b' };
export const ESC_CREDENTIALS = { username: 'admin', password: 'esc-secret-pw' };
/** The master key of secrets at rest in every suite (64 hex characters; not a real one). */
export const TEST_SECRETS_KEY = '5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7';

export interface Stack {
  gatewayUrl: string;
  /** BullMQ backend and connection of this suite's queues, for tests that play with the queue itself. */
  queue: { backend: QueueBackendKind; connection: object; prefix: string };
  sim: RunningEscSim;
  db: Client;
  /** The environment the stack's apps run with (for another replica in a process of its own). */
  env: Record<string, string>;
  /** Stops the worker (as a crash or a deploy would), and starts a new one on the same database and queues. */
  restartWorker(between?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  callbackDelayMs?: number;
  /** Where the worker tells ESC to send callbacks; default: the gateway. */
  publicUrl?: string;
  escCallbackTimeoutSeconds?: number;
  /** The database's session time zone (PostgreSQL's TimeZone) when it should not be the server's. */
  databaseTimeZone?: string;
  /** More environment for the apps (overrides the defaults below). */
  env?: Record<string, string>;
  /** false: no worker in this process (a test runs its own, e.g. in a process of its own). */
  worker?: boolean;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const settings = testRunSettings();
  const suiteId = randomBytes(4).toString('hex');
  const database = `${settings.databasePrefix}_${suiteId}`;
  const admin = new Client({ connectionString: settings.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}" TEMPLATE "${settings.templateDatabase}"`);
  if (options.databaseTimeZone) await admin.query(`ALTER DATABASE "${database}" SET TimeZone = '${options.databaseTimeZone.replace(/'/g, "''")}'`);
  await admin.end();

  const sim = await startEscSim({ callbackDelayMs: options.callbackDelayMs ?? 5, callbackRetries: 1, callbackRetryDelayMs: 20, ...ESC_CREDENTIALS });
  const env = {
    DATABASE_URL: settings.databaseUrl(database),
    REDIS_URL: settings.redisUrl,
    QUEUE_PREFIX: `${settings.queuePrefix}:${suiteId}`,
    QUEUE_BACKEND: settings.queueBackend,
    API_TOKENS: `${TENANT_A.tenant}:${TENANT_A.token},${TENANT_B.tenant}:${TENANT_B.token}`,
    ESC_URL: sim.url,
    ESC_USERNAME: ESC_CREDENTIALS.username,
    ESC_PASSWORD: ESC_CREDENTIALS.password,
    SECRETS_KEY: TEST_SECRETS_KEY,
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
    // a request ESC could not take is sent again within a second or two, not minutes
    ESC_RETRY_BASE_MS: '50',
    ESC_RETRY_MAX_MS: '400',
    // a circuit opened by a suite's failures lets a trial through within a second, not 30 s
    ESC_CIRCUIT_RESET_MS: '300',
    ...(options.escCallbackTimeoutSeconds ? { ESC_CALLBACK_TIMEOUT_SECONDS: String(options.escCallbackTimeoutSeconds) } : {}),
    ...options.env,
  };
  const gateway: INestApplication = await createGateway(AppConfig.fromEnv(env));
  await gateway.listen(0, '127.0.0.1');
  const gatewayUrl = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
  const workerConfig = () => AppConfig.fromEnv({ ...env, PUBLIC_URL: options.publicUrl ?? gatewayUrl });
  let worker: INestApplicationContext | undefined = options.worker === false ? undefined : await createWorker(workerConfig());
  const stopWorker = async () => {
    if (!worker) return;
    await drainWorkers(worker);
    await worker.close();
  };
  const db = new Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const redis = new URL(settings.redisUrl);
  const connection =
    settings.queueBackend === 'postgres' ? { connectionString: env.DATABASE_URL, schema: QUEUE_SCHEMA } : { host: redis.hostname, port: Number(redis.port || 6379) };
  return {
    gatewayUrl,
    queue: { backend: settings.queueBackend, connection, prefix: env.QUEUE_PREFIX },
    sim,
    db,
    env: { ...env, PUBLIC_URL: options.publicUrl ?? gatewayUrl },
    async restartWorker(between) {
      await stopWorker();
      await between?.();
      worker = await createWorker(workerConfig());
    },
    async close() {
      await stopWorker();
      await gateway.close();
      await sim.close();
      await db.end();
    },
  };
}

/** Polls fn until it returns something that satisfies done, or fails with the last value seen. */
export async function waitFor<T>(fn: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await fn();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  } while (Date.now() < end);
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last).slice(0, 2000)}`);
}
