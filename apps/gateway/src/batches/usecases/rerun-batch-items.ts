import { Injectable, Logger } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { advanceBatchJob, OutboxRelay } from '@cam-esc/jobs';
import { BatchClosedError, BatchRepository, BatchTurn } from '@cam-esc/persistence';

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
 * its concurrency, as it ran its deploys. Shared by the batch's retry and terminate. The batch runs
 * again before the first is queued; a cancel that comes meanwhile ends the rerun (what it queued
 * and had not started is cancelled with the rest).
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
    let state = batch.state;
    let page = await this.batches.startedWithStatus(id, statuses, -1, PAGE);
    if (page.length) {
      const job = advanceBatchJob(id);
      this.outbox.relaySoon(await this.batches.reopen(id, job.entry), job.entry);
      state = 'Running';
    }
    rerun: while (page.length) {
      for (const item of page) {
        try {
          await start(item.serviceInstanceId, { batchId: id, index: item.index });
          queued += 1;
        } catch (e) {
          if (e instanceof BatchClosedError) {
            state = e.state;
            break rerun;
          }
          if (!(e instanceof DomainException)) throw e;
          skippedCount += 1;
          if (skipped.length < LISTED) skipped.push({ index: item.index, error: e.message });
        }
      }
      if (page.length < PAGE) break;
      page = await this.batches.startedWithStatus(id, statuses, page[page.length - 1].index, PAGE);
    }
    if (state === 'Running') {
      // its advance job may have seen nothing to run and ended while the first pages were queued
      const job = advanceBatchJob(id);
      const outboxId = await this.batches.kick(id, job.entry);
      if (outboxId !== null) this.outbox.relaySoon(outboxId, job.entry);
      else state = (await this.batches.find(tenantId, id))?.state ?? state;
    }
    this.logger.log({ batchId: id, queued, skipped: skippedCount }, `batch ${what}: ${queued} item(s) queued`);
    return { id, queued, skipped, skipped_count: skippedCount, state };
  }
}
