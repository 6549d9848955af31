import { Logger } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { createPostgresBackend, setDefaultBackendFactory } from 'bullmq';
import Redis from 'ioredis';

export type QueueBackendKind = 'redis' | 'postgres';

/** With the PostgreSQL backend, BullMQ's tables live in this schema of the gateway's own database. */
export const QUEUE_SCHEMA = 'bullmq';

/**
 * Each Queue and Worker of the PostgreSQL backend owns a small pool (a Worker also one LISTEN
 * connection); a gateway has two queues and a worker two queues and two workers, so this keeps
 * a process under 16 connections.
 */
const POSTGRES_POOL_SIZE = 3;

export interface QueueBackendChoice {
  kind: QueueBackendKind;
  /** Why this backend, in words an operator reads at start-up. */
  reason: string;
}

/** `redis+sentinel://[user:password@]host:port,host:port/<master name>[/<db>]`: Redis behind Sentinel. */
const SENTINEL_URL = /^redis\+sentinel:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/@]+)\/([^/]+)(?:\/(\d+))?$/;

export function redisConnectionOptions(redisUrl: string) {
  const sentinel = SENTINEL_URL.exec(redisUrl);
  if (sentinel) {
    const [, username, password, hosts, name, db] = sentinel;
    return {
      sentinels: hosts.split(',').map((h) => {
        const [host, port] = h.split(':');
        return { host, port: Number(port || 26379) };
      }),
      name: decodeURIComponent(name),
      username: username ? decodeURIComponent(username) : undefined,
      password: password ? decodeURIComponent(password) : undefined,
      db: db ? Number(db) : undefined,
      maxRetriesPerRequest: null,
    };
  }
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers block on Redis; they must not give up on a slow command
    maxRetriesPerRequest: null,
  };
}

/** True when a Redis server answers PING at `redisUrl` within `timeoutMs`. */
export async function redisAnswers(redisUrl: string, timeoutMs = 1000): Promise<boolean> {
  const redis = new Redis({ ...redisConnectionOptions(redisUrl), lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * The one place that decides where BullMQ keeps its jobs: QUEUE_BACKEND when set; otherwise
 * Redis when REDIS_URL is set or Redis answers on the default address; otherwise PostgreSQL.
 * Launchers that start several processes (npm start, the tests) decide once and pass
 * QUEUE_BACKEND on, so that a gateway and a worker never pick different backends.
 */
export async function chooseQueueBackend(config: AppConfig, probe: (url: string) => Promise<boolean> = redisAnswers): Promise<QueueBackendChoice> {
  if (config.queueBackend) return { kind: config.queueBackend, reason: `QUEUE_BACKEND=${config.queueBackend}` };
  if (config.redisUrlIsExplicit) return { kind: 'redis', reason: 'REDIS_URL is set' };
  if (config.production) {
    throw new QueueBackendUnsetError('QUEUE_BACKEND must be set when NODE_ENV=production (redis or postgres): a guess could differ between the gateway and the worker');
  }
  if (await probe(config.redisUrl)) return { kind: 'redis', reason: `Redis answers on ${config.redisUrl}` };
  return { kind: 'postgres', reason: `REDIS_URL is not set and no Redis answers on ${config.redisUrl}` };
}

export class QueueBackendUnsetError extends Error {}

/** The chosen backend, and the BullMQ connection options that go with it. */
export class QueueBackend implements QueueBackendChoice {
  private static readonly logger = new Logger('QueueBackend');

  private constructor(
    readonly kind: QueueBackendKind,
    readonly reason: string,
    private readonly config: AppConfig,
  ) {}

  static async choose(config: AppConfig): Promise<QueueBackend> {
    const choice = await chooseQueueBackend(config);
    if (config.queueBackend || config.redisUrlIsExplicit) QueueBackend.logger.log(`queue backend: ${choice.kind} (${choice.reason})`);
    // a guess: a process started next to this one may guess otherwise, and they would not share jobs
    else QueueBackend.logger.warn(`queue backend: ${choice.kind} (${choice.reason}); set QUEUE_BACKEND so that every gateway and worker uses the same one`);
    if (choice.kind === 'redis') {
      const policy = await redisEvictionPolicy(config.redisUrl);
      // BullMQ's jobs are data: a Redis that evicts keys under memory pressure loses them
      if (policy && policy !== 'noeviction') {
        QueueBackend.logger.warn(`Redis maxmemory-policy is '${policy}': under memory pressure Redis may evict the queues' jobs (and work would wait for the sweep). Set maxmemory-policy noeviction on this Redis`);
      }
    }
    return new QueueBackend(choice.kind, choice.reason, config);
  }

  /**
   * Options for BullModule.forRoot. @nestjs/bullmq builds its Queues and Workers without a
   * backend factory, so the PostgreSQL one is made BullMQ's process-wide default here; a process
   * only ever runs one backend.
   */
  bullRootOptions() {
    if (this.kind === 'postgres') {
      setDefaultBackendFactory(createPostgresBackend);
      return { connection: this.postgresConnection(), prefix: this.config.queuePrefix };
    }
    setDefaultBackendFactory(undefined);
    return { connection: redisConnectionOptions(this.config.redisUrl), prefix: this.config.queuePrefix };
  }

  /** BullMQ migrates its schema itself, under an advisory lock, so concurrent starts are safe. */
  postgresConnection() {
    return { connectionString: this.config.databaseUrl, schema: QUEUE_SCHEMA, migrate: true, max: POSTGRES_POOL_SIZE };
  }
}

/** Redis's maxmemory-policy, or undefined when it cannot be read (CONFIG is disabled on managed Redis). */
export async function redisEvictionPolicy(redisUrl: string, timeoutMs = 1000): Promise<string | undefined> {
  const redis = new Redis({ ...redisConnectionOptions(redisUrl), lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const answer = (await redis.config('GET', 'maxmemory-policy')) as string[];
    return answer[1];
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}

/** Deletes the Redis keys matching `pattern` (a test run's or a bench's queues); quiet when Redis is not there. */
export async function deleteRedisKeys(redisUrl: string, pattern: string): Promise<void> {
  const redis = new Redis({ ...redisConnectionOptions(redisUrl), lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // nothing of ours to clean up there
  } finally {
    redis.disconnect();
  }
}
