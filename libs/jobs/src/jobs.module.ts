import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { QueueName } from './job-catalogue';
import { JobQueue } from './job-queue.service';
import { QueueBackend } from './queue-backend';
import { QueueHealth } from './queue-health';
import { QueueStoreHeartbeat } from './queue-store-heartbeat';
import { OutboxRelay } from './outbox-relay';

/** Decides the queue backend once per process (it may probe Redis). */
@Module({
  providers: [{ provide: QueueBackend, inject: [AppConfig], useFactory: (config: AppConfig) => QueueBackend.choose(config) }],
  exports: [QueueBackend],
})
class QueueBackendModule {}

/** The BullMQ connection and queues; the gateway only enqueues, the worker also processes. */
@Module({
  imports: [
    QueueBackendModule,
    BullModule.forRootAsync({
      imports: [QueueBackendModule],
      inject: [QueueBackend],
      useFactory: (backend: QueueBackend) => backend.bullRootOptions(),
    }),
    BullModule.registerQueue({ name: QueueName.Flow }, { name: QueueName.EscCallbacks }, { name: QueueName.Catalog }),
  ],
  providers: [JobQueue, QueueHealth, QueueStoreHeartbeat, OutboxRelay],
  exports: [JobQueue, BullModule, QueueBackendModule, QueueHealth, QueueStoreHeartbeat, OutboxRelay],
})
export class JobsModule {}
