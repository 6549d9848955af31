import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { jobIdOf, JobName, JobPayloads, QUEUE_OF_JOB, QueueName } from './job-catalogue';

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
