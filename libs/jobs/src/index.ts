export * from './job-catalogue';
export * from './job-queue.service';
export * from './jobs.module';
export * from './queue-backend';
export * from './queue-health';
export * from './queue-store-heartbeat';
export * from './outbox-relay';
export * from './store-error-log';
