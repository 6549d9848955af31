import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { QueueName } from './job-catalogue';
import { JobQueue } from './job-queue.service';

export function redisConnectionOptions(redisUrl: string) {
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

/** The BullMQ connection and queues; the gateway only enqueues, the worker also processes. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ connection: redisConnectionOptions(config.redisUrl), prefix: config.queuePrefix }),
    }),
    BullModule.registerQueue({ name: QueueName.Flow }, { name: QueueName.EscCallbacks }),
  ],
  providers: [JobQueue],
  exports: [JobQueue, BullModule],
})
export class JobsModule {}
