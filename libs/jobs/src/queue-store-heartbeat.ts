import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { QueueBackend, redisConnectionOptions } from './queue-backend';

export type StoreCheck = 'kept' | 'lost' | 'unreachable';

/**
 * A mark kept in the queue store (Redis), so that a worker notices at once when the store lost
 * its data (Redis restarted empty, flushed, or failed over to an empty replica): the jobs in it are
 * gone, and must be made again from PostgreSQL. PostgreSQL's queue backend keeps its jobs in the
 * database itself: nothing to watch there.
 */
@Injectable()
export class QueueStoreHeartbeat implements OnModuleDestroy {
  private marked = false;
  private readonly token = randomUUID();
  private redis?: Redis;

  constructor(
    private readonly backend: QueueBackend,
    private readonly config: AppConfig,
  ) {}

  /** Sets the mark when it is missing; says whether it had gone since this process set or saw it. */
  async check(): Promise<StoreCheck> {
    if (this.backend.kind !== 'redis') return 'kept';
    try {
      this.redis ??= this.connect();
      const set = await this.redis.set(`${this.config.queuePrefix}:store-mark`, this.token, 'NX');
      const lost = set === 'OK' && this.marked;
      this.marked = true;
      return lost ? 'lost' : 'kept';
    } catch {
      return 'unreachable';
    }
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }

  private connect(): Redis {
    // a command waits for the connection once, then fails while Redis is away (the next check tries again)
    const redis = new Redis({ ...redisConnectionOptions(this.config.redisUrl), maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    return redis;
  }
}
