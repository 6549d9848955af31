import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { JobName, JobPayloads, QueueName, storeErrors } from '@cam-esc/jobs';
import { InstanceGoneError } from '@cam-esc/persistence';
import { Job } from 'bullmq';
import { ApplyEscCallbackUseCase } from '../apply-esc-callback/apply-esc-callback.usecase';

/** Thin: maps callback jobs to their use case. A callback that fails for good stays Received; the next worker start retries it. */
@Processor(QueueName.EscCallbacks)
export class EscCallbackProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(EscCallbackProcessor.name);

  constructor(
    private readonly applyCallback: ApplyEscCallbackUseCase,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.callbackConcurrency;
  }

  async process(job: Job<JobPayloads[JobName.ApplyEscCallback]>): Promise<void> {
    try {
      await this.applyCallback.execute(job.data.callbackId);
    } catch (e) {
      if (e instanceof InstanceGoneError) return;
      throw e;
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<JobPayloads[JobName.ApplyEscCallback]> | undefined, error: Error): void {
    this.logger.warn({ callbackId: job?.data.callbackId, attempt: job?.attemptsMade, err: error.message }, 'apply-esc-callback job failed');
  }

  /** The queue store went away: said once a minute, not at every reconnect. */
  @OnWorkerEvent('error')
  onStoreError(error: Error): void {
    storeErrors.report(`worker ${this.worker.name}`, error);
  }
}
