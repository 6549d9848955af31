import { Logger } from '@nestjs/common';

/** How often, at most, an outage of the queue store is logged again while it lasts. */
const REPEAT_MS = 60_000;

/**
 * BullMQ's queues and workers report every failed reconnect to the queue store as an 'error'
 * event (printed raw to stderr when nobody listens): while Redis is away that is several lines a
 * second. This says it once, then once a minute, with how many errors came meanwhile.
 */
export class StoreErrorLog {
  private readonly logger = new Logger('QueueStore');
  private lastAt = 0;
  private quiet = 0;

  report(source: string, error: Error): void {
    const now = Date.now();
    if (now - this.lastAt < REPEAT_MS) {
      this.quiet += 1;
      return;
    }
    this.logger.warn({ source, err: error.message, since: this.quiet }, `the queue store is not answering (${error.message}); jobs wait in PostgreSQL until it is back`);
    this.lastAt = now;
    this.quiet = 0;
  }
}

/** One per process: the gateway's queues and the worker's workers share it. */
export const storeErrors = new StoreErrorLog();
