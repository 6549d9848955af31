import { Injectable, Logger } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { advanceBatchJob, OutboxRelay } from '@cam-esc/jobs';
import { BatchRepository, BatchTurn } from '@cam-esc/persistence';

const PAGE = 200;
const LISTED = 100;

export interface BatchRerun {
  id: string;
  /** Items whose action now waits for its turn. */
  queued: number;
  /** Items that could not take it (an instance busy, say), the first 100 with why. */
  skipped: Array<{ index: number; error: string }>;
  skipped_count: number;
  state: string;
}

/**
 * Runs one action (a retry, a terminate) on every started item of a batch whose instance is in
 * one of the given states: each action is written waiting (Queued), and the batch runs them at
 * its concurrency, as it ran its deploys. Shared by the batch's retry and terminate.
 */
@Injectable()
export class RerunBatchItems {
  private readonly logger = new Logger(RerunBatchItems.name);

  constructor(
    private readonly batches: BatchRepository,
    private readonly outbox: OutboxRelay,
  ) {}

  async run(tenantId: string, id: string, statuses: string[], what: string, start: (instanceId: string, turn: BatchTurn) => Promise<unknown>): Promise<BatchRerun> {
    const batch = await this.batches.find(tenantId, id);
    if (!batch) throw DomainException.notFound('batch', id);
    let queued = 0;
    let skippedCount = 0;
    const skipped: BatchRerun['skipped'] = [];
    for (let after = -1; ; ) {
      const page = await this.batches.startedWithStatus(id, statuses, after, PAGE);
      for (const item of page) {
        try {
          await start(item.serviceInstanceId, { batchId: id, index: item.index });
          queued += 1;
        } catch (e) {
          if (!(e instanceof DomainException)) throw e;
          skippedCount += 1;
          if (skipped.length < LISTED) skipped.push({ index: item.index, error: e.message });
        }
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1].index;
    }
    let state = batch.state;
    if (queued > 0) {
      const job = advanceBatchJob(id);
      this.outbox.relaySoon(await this.batches.reopen(id, job.entry), job.entry);
      state = 'Running';
    }
    this.logger.log({ batchId: id, queued, skipped: skippedCount }, `batch ${what}: ${queued} item(s) queued`);
    return { id, queued, skipped, skipped_count: skippedCount, state };
  }
}
