import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { JobName, JobPayloads, QueueName } from '@cam-esc/jobs';
import { Job } from 'bullmq';
import { ReconcileEscRequestUseCase } from '../reconcile/reconcile-esc-request.usecase';
import { RunActionUseCase } from '../run-action/run-action.usecase';

type FlowJob = Job<JobPayloads[JobName.RunAction] | JobPayloads[JobName.ReconcileEscRequest], void, string>;

@Processor(QueueName.Flow)
export class FlowProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(FlowProcessor.name);

  constructor(
    private readonly runAction: RunActionUseCase,
    private readonly reconcile: ReconcileEscRequestUseCase,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.workerConcurrency;
  }

  async process(job: FlowJob): Promise<void> {
    switch (job.name) {
      case JobName.RunAction: {
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        return this.runAction.execute({ ...(job.data as JobPayloads[JobName.RunAction]), lastAttempt });
      }
      case JobName.ReconcileEscRequest:
        return this.reconcile.execute(job.data as JobPayloads[JobName.ReconcileEscRequest]);
      default:
        throw new Error(`the flow queue has no job named ${job.name}`);
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: FlowJob | undefined, error: Error): void {
    this.logger.warn({ job: job?.name, serviceInstanceId: job?.data.serviceInstanceId, attempt: job?.attemptsMade, err: error.message }, `${job?.name ?? 'flow'} job failed`);
  }
}
