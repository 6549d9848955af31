import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { AppConfig } from '@cam-esc/config';
import { QueueBackend, redisConnectionOptions } from '@cam-esc/jobs';
import Redis from 'ioredis';
import { FixedWindowCounter } from './fixed-window-counter';

type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** How long a count in Redis may take before the call is counted here instead. */
const SHARED_TIMEOUT_MS = 250;
/** How long the gateway's start waits for the Redis connection of the counts. */
const READY_WAIT_MS = 1000;
/** The least time between two warnings that Redis could not count. */
const WARN_EVERY_MS = 30_000;
/** After Redis failed to count, how long calls are counted here before Redis is tried again (a hung Redis must not slow every call). */
const LOCAL_AFTER_FAILURE_MS = 5_000;

/**
 * Where the rate limits count calls: in Redis when the queues live there, so that a limit holds
 * across gateway replicas; in this process otherwise (the PostgreSQL queue backend has no Redis,
 * and a limit then holds per replica). When Redis does not answer (within 250 ms), calls are
 * counted in this process for the next 5 s, then Redis is tried again: a limit is never the
 * reason a call fails, nor a hung Redis the reason every call is slow.
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimits');
  private readonly local = new FixedWindowCounter();
  private readonly redis?: Redis;
  private readonly shared?: ThrottlerStorageRedisService;
  private lastWarning = 0;
  private localUntil = 0;

  constructor(config: AppConfig, backend: QueueBackend) {
    if (backend.kind === 'redis') {
      this.redis = new Redis({
        ...redisConnectionOptions(config.redisUrl),
        // fail at once while Redis is away, rather than queue the call's count
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: SHARED_TIMEOUT_MS,
        lazyConnect: false,
      });
      this.redis.on('error', () => undefined);
      this.shared = new ThrottlerStorageRedisService(this.redis);
    }
    this.logger.log(this.shared ? 'rate limits counted in Redis (shared by every gateway replica)' : 'rate limits counted in this process (the PostgreSQL queue backend: each gateway replica counts its own calls)');
  }

  /** The first calls counted in Redis rather than here, unless Redis does not answer within a second (the gateway starts anyway). */
  async onModuleInit(): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, READY_WAIT_MS);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Where counts are kept: `redis` (shared by the replicas) or `process`. */
  get where(): 'redis' | 'process' {
    return this.shared ? 'redis' : 'process';
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerRecord> {
    if (!this.shared || Date.now() < this.localUntil) return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    try {
      return await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (err) {
      this.localUntil = Date.now() + LOCAL_AFTER_FAILURE_MS;
      if (Date.now() - this.lastWarning > WARN_EVERY_MS) {
        this.lastWarning = Date.now();
        this.logger.warn({ err: (err as Error).message }, 'Redis does not count calls for the rate limits: this gateway counts its own until it does');
      }
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  onApplicationShutdown(): void {
    this.local.close();
    this.redis?.disconnect(false);
  }
}
