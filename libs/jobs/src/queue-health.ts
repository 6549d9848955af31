import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { QUEUE_SCHEMA, QueueBackend, redisConnectionOptions } from './queue-backend';

/**
 * Whether the job queue's store answers, on whichever backend runs. It uses a connection of its
 * own, which fails fast, rather than BullMQ's, which waits for the store to come back.
 */
@Injectable()
export class QueueHealth implements OnModuleDestroy {
  private redis?: Redis;
  private pool?: Pool;

  constructor(
    readonly backend: QueueBackend,
    private readonly config: AppConfig,
  ) {}

  /** Resolves when the store answers; rejects with the reason otherwise. */
  async ping(): Promise<void> {
    if (this.backend.kind === 'redis') {
      this.redis ??= this.newRedisClient();
      if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
      await this.redis.ping();
      return;
    }
    if (!this.pool) {
      this.pool = new Pool({ connectionString: this.config.databaseUrl, max: 1, connectionTimeoutMillis: 3000, idleTimeoutMillis: 10_000 });
      this.pool.on('error', () => undefined); // an idle connection the server dropped; the next ping() reports the state
    }
    await this.pool.query(`SELECT 1 FROM "${QUEUE_SCHEMA}".migration LIMIT 1`);
  }

  private newRedisClient(): Redis {
    const redis = new Redis({ ...redisConnectionOptions(this.config.redisUrl), lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    redis.on('error', () => undefined); // reported through ping()
    return redis;
  }

  async onModuleDestroy(): Promise<void> {
    this.redis?.disconnect();
    await this.pool?.end();
  }
}
