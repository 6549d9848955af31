import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { JobName, JobPayloads, QueueName } from '@cam-esc/jobs';
import { Job } from 'bullmq';
import { RunActionUseCase } from '../run-action/run-action.usecase';

@Processor(QueueName.Flow)
export class FlowProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(FlowProcessor.name);

  constructor(
    private readonly runAction: RunActionUseCase,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.workerConcurrency;
  }

  async process(job: Job<JobPayloads[JobName.RunAction]>): Promise<void> {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await this.runAction.execute({ ...job.data, lastAttempt });
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<JobPayloads[JobName.RunAction]> | undefined, error: Error): void {
    this.logger.warn({ serviceInstanceId: job?.data.serviceInstanceId, actionInstanceId: job?.data.actionInstanceId, attempt: job?.attemptsMade, err: error.message }, 'run-action job failed');
  }
}
