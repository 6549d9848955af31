import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { OutboxEntry } from '@cam-esc/persistence';
import { Queue } from 'bullmq';
import { storeErrors } from './store-error-log';
import { jobIdOf, JobName, JobPayloads, QUEUE_OF_JOB, QueueName } from './job-catalogue';

/** A job as the outbox keeps it. */
export type QueuedEntry = OutboxEntry;

/** The outbox row of a job of the catalogue, with its deterministic id. */
export function outboxEntry<K extends JobName>(name: K, payload: JobPayloads[K], runAt?: Date): QueuedEntry {
  return { name, jobId: jobIdOf(name, payload), payload: payload as unknown as Record<string, unknown>, runAt };
}

const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Typed, idempotent enqueueing of the job catalogue. */
@Injectable()
export class JobQueue {
  private readonly queues: Record<QueueName, Queue>;

  constructor(@InjectQueue(QueueName.Flow) flow: Queue, @InjectQueue(QueueName.EscCallbacks) callbacks: Queue, @InjectQueue(QueueName.Catalog) catalog: Queue) {
    this.queues = { [QueueName.Flow]: flow, [QueueName.EscCallbacks]: callbacks, [QueueName.Catalog]: catalog };
    for (const queue of Object.values(this.queues)) queue.on('error', (e) => storeErrors.report(`queue ${queue.name}`, e));
  }

  /**
   * Adds a job unless one with the same id exists. `retryFailed` first removes a job of that id
   * that failed for good (kept for inspection), so a sweep can try it again.
   */
  async enqueue<K extends JobName>(name: K, payload: JobPayloads[K], options: { delayMs?: number; retryFailed?: boolean } = {}): Promise<void> {
    const queue = this.queues[QUEUE_OF_JOB[name]];
    const jobId = jobIdOf(name, payload);
    if (options.retryFailed) {
      const existing = await queue.getJob(jobId);
      if (existing && (await existing.isFailed())) await existing.remove();
    }
    await queue.add(name, payload, { ...DEFAULT_JOB_OPTIONS, jobId, delay: options.delayMs });
  }

  /** Adds outbox entries (one round trip per queue); entries whose job exists already are no-ops. */
  async enqueueEntries(entries: QueuedEntry[]): Promise<void> {
    const byQueue = new Map<QueueName, QueuedEntry[]>();
    for (const e of entries) {
      const queue = QUEUE_OF_JOB[e.name as JobName];
      if (!queue) throw new Error(`outbox entry names an unknown job '${e.name}'`);
      byQueue.set(queue, [...(byQueue.get(queue) ?? []), e]);
    }
    const now = Date.now();
    await Promise.all(
      [...byQueue].map(([queue, list]) =>
        this.queues[queue].addBulk(
          list.map((e) => ({ name: e.name, data: e.payload, opts: { ...DEFAULT_JOB_OPTIONS, jobId: e.jobId, delay: e.runAt ? Math.max(0, e.runAt.getTime() - now) : undefined } })),
        ),
      ),
    );
  }

  /**
   * Runs a job every `everyMs` (a BullMQ job scheduler, kept in the queue's store): however many
   * workers call this, one schedule exists and each run happens once.
   */
  async schedule<K extends JobName>(name: K, payload: JobPayloads[K], everyMs: number): Promise<void> {
    await this.queues[QUEUE_OF_JOB[name]].upsertJobScheduler(jobIdOf(name, payload), { every: everyMs }, { name, data: payload, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } });
  }

  /** Removes a job that is no longer needed (e.g. an overdue check of a request that completed); no-op if gone or running. */
  async cancel<K extends JobName>(name: K, payload: JobPayloads[K]): Promise<void> {
    const job = await this.queues[QUEUE_OF_JOB[name]].getJob(jobIdOf(name, payload));
    if (job && ((await job.isDelayed()) || (await job.isWaiting()))) await job.remove();
  }
}

/**
 * The advance job of a batch for the quarter second `at` (ms) falls in: whatever queues a batch's
 * run for the same tick (its own previous run, the submission, the sweep) queues one job.
 */
/** How often a running batch looks for room to start its next items. */
export const BATCH_TICK_MS = 250;

export function advanceBatchJob(batchId: string, at = Date.now()): { payload: JobPayloads[JobName.AdvanceBatch]; delayMs: number; entry: QueuedEntry } {
  const tick = Math.ceil(at / BATCH_TICK_MS);
  const payload = { batchId, tick };
  return { payload, delayMs: Math.max(0, tick * BATCH_TICK_MS - Date.now()), entry: outboxEntry(JobName.AdvanceBatch, payload, new Date(tick * BATCH_TICK_MS)) };
}
