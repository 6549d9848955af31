/**
 * What `npm start` runs on: an external PostgreSQL (DATABASE_URL, or one answering on the default
 * address) or its embedded one; and the queue backend, chosen by libs/jobs like every process.
 */
import Redis from 'ioredis';
import { Client } from 'pg';
import { AppConfig } from '../../libs/config/src';

export type DatabaseChoice = { mode: 'external'; reason: string } | { mode: 'embedded'; reason: string };

/** How a PostgreSQL address answered: `absent` when nothing listens there. */
export type PostgresProbe = { state: 'ok' } | { state: 'absent'; detail: string } | { state: 'error'; detail: string };

const ABSENT_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EADDRNOTAVAIL']);

export async function probePostgres(databaseUrl: string): Promise<PostgresProbe> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { state: 'ok' };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { errors?: NodeJS.ErrnoException[] };
    const codes = [err.code, ...(err.errors ?? []).map((x) => x.code)];
    const absent = codes.some((c) => c && ABSENT_CODES.has(c)) || /timeout/i.test(err.message);
    return { state: absent ? 'absent' : 'error', detail: err.message || String(codes.filter(Boolean).join(', ')) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export class StartError extends Error {}

const fixPostgres = (port: string) =>
  [
    `Start it (Debian package):  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start${port === '5432' ? '' : `   (it listens on 5432; DATABASE_URL says ${port})`}`,
    'or with Docker:             docker compose up -d postgres',
    'or point DATABASE_URL at a running server, or unset it to use the embedded PostgreSQL.',
  ].join('\n');

const fixRedis = (port: string) =>
  [
    `Start it (Debian package):  redis-server --daemonize yes --bind 127.0.0.1 --port ${port} --save "" --appendonly no`,
    'or with Docker:             docker compose up -d redis',
    'or point REDIS_URL at a running server, or set QUEUE_BACKEND=postgres to keep the jobs in PostgreSQL.',
  ].join('\n');

/**
 * DATABASE_URL set: that server, which must answer. Not set: the server on the default address
 * when one answers there, else the embedded PostgreSQL (also when `forceEmbedded`).
 */
export async function chooseDatabase(config: AppConfig, forceEmbedded: boolean, probe = probePostgres): Promise<DatabaseChoice> {
  if (forceEmbedded) {
    if (config.databaseUrlIsExplicit) throw new StartError('--embedded-postgres and DATABASE_URL both say where the database is: use one');
    return { mode: 'embedded', reason: '--embedded-postgres' };
  }
  const host = new URL(config.databaseUrl);
  const where = `${host.hostname}:${host.port || '5432'}`;
  const answer = await probe(config.databaseUrl);
  if (answer.state === 'ok') return { mode: 'external', reason: config.databaseUrlIsExplicit ? 'DATABASE_URL is set' : `PostgreSQL answers on ${where}` };
  if (config.databaseUrlIsExplicit && answer.state === 'absent') {
    throw new StartError(`PostgreSQL is not reachable at ${where} (${answer.detail}).\n${fixPostgres(host.port || '5432')}`);
  }
  if (answer.state === 'error') {
    throw new StartError(
      `a PostgreSQL answers on ${where} but refused us (${answer.detail}): ` +
        (config.databaseUrlIsExplicit ? 'check the user, password and database of DATABASE_URL' : 'set DATABASE_URL with credentials it accepts, or use npm start -- --embedded-postgres'),
    );
  }
  return { mode: 'embedded', reason: `DATABASE_URL is not set and nothing answers on ${where}` };
}

/** The Redis the queue backend was told to use must answer; the automatic choice has already probed it. */
export async function checkRedis(config: AppConfig): Promise<void> {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let cause: Error | undefined;
  redis.on('error', (e: Error) => (cause ??= e));
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    throw new StartError(`Redis is not reachable at ${withoutCredentials(config.redisUrl)} (${(cause ?? (e as Error)).message}).\n${fixRedis(/:(\d+)(\/|$)/.exec(config.redisUrl.split('@').pop() ?? '')?.[1] ?? '6379')}`);
  } finally {
    redis.disconnect();
  }
}

/** The URL with its password (if any) masked. */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/.*@/, '//***@');
  }
}
