import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { JobOutboxRepository, OutboxEntry } from '@cam-esc/persistence';
import { isJobName } from './job-catalogue';
import { withTimeout } from './with-timeout';
import { JobQueue } from './job-queue.service';

/** How long the process that wrote an outbox row has to relay it before the workers do. */
export const OUTBOX_GRACE_MS = 3_000;
/** How long the writer waits for the queue store before leaving its rows to the workers. */
const FAST_PATH_TIMEOUT_MS = 2_000;
/** After the store failed to answer, the writer leaves its rows to the workers for this long. */
const STORE_DOWN_BACKOFF_MS = 5_000;
/** How long the workers' pass waits for the queue store to take a page of rows. */
const RELAY_TIMEOUT_MS = 10_000;
const PAGE = 500;

/**
 * Moves outbox rows (jobs written in the transaction of the request they run) into the queue.
 *
 * The process that wrote a row relays it right after the commit (`relaySoon`), batched and
 * without making the request wait; the workers relay, every second, whatever is older than
 * OUTBOX_GRACE_MS (`relayLeftBehind`): the rows of a gateway that died after its commit, or
 * that could not reach the queue store. Job ids are deterministic, so a row relayed by both
 * makes one job.
 */
@Injectable()
export class OutboxRelay implements OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private batch: Array<{ id: bigint; entry: OutboxEntry }> = [];
  private flushScheduled = false;
  private storeDownUntil = 0;
  private readonly inFlight = new Set<Promise<void>>();
  /** Rows relayed by this process: by the writer, and left behind by another. */
  readonly relayed = { soon: 0, leftBehind: 0 };

  constructor(
    private readonly outbox: JobOutboxRepository,
    private readonly jobs: JobQueue,
  ) {}

  /** After the commit that wrote row `id`: queue its job now, if the store answers; the workers do it otherwise. */
  relaySoon(id: bigint, entry: OutboxEntry): void {
    if (Date.now() < this.storeDownUntil) return;
    this.batch.push({ id, entry });
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const batch = this.batch;
      this.batch = [];
      const flush = this.flush(batch).finally(() => this.inFlight.delete(flush));
      this.inFlight.add(flush);
    });
  }

  private async flush(batch: Array<{ id: bigint; entry: OutboxEntry }>): Promise<void> {
    try {
      await withTimeout(this.jobs.enqueueEntries(batch.map((b) => b.entry)), FAST_PATH_TIMEOUT_MS);
    } catch (e) {
      this.storeDownUntil = Date.now() + STORE_DOWN_BACKOFF_MS;
      this.logger.warn({ jobs: batch.length, err: (e as Error).message }, 'the queue store did not take new jobs; they stay in the outbox and a worker queues them when the store is back');
      return;
    }
    this.relayed.soon += batch.length;
    try {
      await this.outbox.delete(batch.map((b) => b.id));
    } catch (e) {
      // queued: a worker relays the rows again, which queues nothing new
      this.logger.warn({ err: (e as Error).message }, 'could not clear relayed outbox rows');
    }
  }

  /** The workers' pass: rows their writer did not relay within OUTBOX_GRACE_MS. Returns how many were queued. */
  async relayLeftBehind(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.outbox.relayOldest(OUTBOX_GRACE_MS, PAGE, async (rows) => {
        // a job this worker does not know (written by a newer gateway, mid-upgrade) stays for a worker that does
        const known = rows.filter((r) => isJobName(r.name));
        if (known.length < rows.length) this.logger.warn({ jobs: rows.length - known.length, names: [...new Set(rows.filter((r) => !isJobName(r.name)).map((r) => r.name))] }, 'outbox jobs this worker does not know; left for one that does');
        // bounded: the rows stay locked (and the transaction open) while the store is asked
        await withTimeout(this.jobs.enqueueEntries(known), RELAY_TIMEOUT_MS);
        return known.map((r) => r.id);
      });
      total += n;
      if (n < PAGE) break;
    }
    if (total > 0) {
      this.relayed.leftBehind += total;
      this.logger.log({ jobs: total }, 'queued jobs their writer had left in the outbox');
    }
    return total;
  }

  /** A process shutting down first lets the batches it is relaying finish (at most FAST_PATH_TIMEOUT_MS). */
  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
