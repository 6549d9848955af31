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

  constructor(@InjectQueue(QueueName.Flow) flow: Queue, @InjectQueue(QueueName.EscCallbacks) callbacks: Queue) {
    this.queues = { [QueueName.Flow]: flow, [QueueName.EscCallbacks]: callbacks };
  }

  async enqueue<K extends JobName>(name: K, payload: JobPayloads[K], options: { delayMs?: number } = {}): Promise<void> {
    await this.queues[QUEUE_OF_JOB[name]].add(name, payload, { ...DEFAULT_JOB_OPTIONS, jobId: jobIdOf(name, payload), delay: options.delayMs });
  }
}
