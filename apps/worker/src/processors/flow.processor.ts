import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { advanceBatchJob, JobName, JobPayloads, JobQueue, QueueName, storeErrors } from '@cam-esc/jobs';
import { InstanceGoneError } from '@cam-esc/persistence';
import { Job } from 'bullmq';
import { ReconcileEscRequestUseCase } from '../reconcile/reconcile-esc-request.usecase';
import { SettleContradictedOutcomeUseCase } from '../reconcile/settle-contradicted-outcome.usecase';
import { AdvanceBatchUseCase } from '../batches/advance-batch.usecase';
import { RunActionUseCase } from '../run-action/run-action.usecase';
import { ResumeInFlightService } from '../sweep/resume-in-flight.service';

type FlowJob = Job<JobPayloads[JobName.RunAction] | JobPayloads[JobName.ReconcileEscRequest] | JobPayloads[JobName.SettleContradictedOutcome] | JobPayloads[JobName.AdvanceBatch] | JobPayloads[JobName.SweepInFlight], void, string>;

/** Thin: maps flow jobs to their use cases. */
@Processor(QueueName.Flow)
export class FlowProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(FlowProcessor.name);

  constructor(
    private readonly runAction: RunActionUseCase,
    private readonly reconcile: ReconcileEscRequestUseCase,
    private readonly settle: SettleContradictedOutcomeUseCase,
    private readonly advanceBatch: AdvanceBatchUseCase,
    private readonly sweep: ResumeInFlightService,
    private readonly config: AppConfig,
    private readonly jobs: JobQueue,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.flowConcurrency;
  }

  async process(job: FlowJob): Promise<void> {
    try {
      switch (job.name) {
        case JobName.RunAction: {
          const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          return await this.runAction.execute({ ...(job.data as JobPayloads[JobName.RunAction]), lastAttempt });
        }
        case JobName.ReconcileEscRequest:
          return await this.reconcile.execute(job.data as JobPayloads[JobName.ReconcileEscRequest]);
        case JobName.SettleContradictedOutcome:
          return await this.settle.execute(job.data as JobPayloads[JobName.SettleContradictedOutcome]);
        case JobName.AdvanceBatch:
          return await this.advanceBatch.execute(job.data as JobPayloads[JobName.AdvanceBatch]);
        case JobName.SweepInFlight:
          return await this.sweep.sweepQuiet();
        default:
          throw new Error(`the flow queue has no job named ${job.name}`);
      }
    } catch (e) {
      if (e instanceof InstanceGoneError) return; // deleted meanwhile: nothing left to do
      throw e;
    }
  }

  @OnWorkerEvent('failed')
  async onFailed(job: FlowJob | undefined, error: Error): Promise<void> {
    try {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      this.logger.warn({ job: job.name, serviceInstanceId: (job.data as { serviceInstanceId?: string }).serviceInstanceId, attempt: job.attemptsMade, final, err: error.message }, `${job.name} job failed`);
      if (!final) return;
      if (job.name === JobName.RunAction) {
        // out of retries: end the action instead of leaving it running with nothing queued
        const data = job.data as JobPayloads[JobName.RunAction];
        await this.runAction.abandon({ actionInstanceId: data.actionInstanceId, serviceInstanceId: data.serviceInstanceId }, `job ${job.id} failed ${job.attemptsMade} times`);
      } else if (job.name === JobName.AdvanceBatch) {
        // the batch goes on from the next sweep at the latest; meanwhile a second later
        const data = job.data as JobPayloads[JobName.AdvanceBatch];
        const next = advanceBatchJob(data.batchId, Date.now() + 5000);
        await this.jobs.enqueue(JobName.AdvanceBatch, next.payload, { delayMs: next.delayMs });
      } else if (job.name === JobName.ReconcileEscRequest) {
        // the request may still complete on ESC: look again later rather than give up
        await this.reconcile.later(job.data as JobPayloads[JobName.ReconcileEscRequest]);
      }
    } catch (e) {
      // the periodic sweep picks up what this could not do
      this.logger.error({ err: (e as Error).message }, 'could not handle a failed flow job');
    }
  }

  /** The queue store went away: said once a minute, not at every reconnect. */
  @OnWorkerEvent('error')
  onStoreError(error: Error): void {
    storeErrors.report(`worker ${this.worker.name}`, error);
  }
}
