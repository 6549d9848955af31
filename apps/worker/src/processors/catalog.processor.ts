import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { JobName, JobPayloads, QueueName, storeErrors } from '@cam-esc/jobs';
import { Job } from 'bullmq';
import { CheckDriftUseCase } from '../drift/check-drift.usecase';
import { RetireVersionUseCase } from '../retire-version/retire-version.usecase';

/** Thin: maps catalog and housekeeping jobs to their use cases. */
@Processor(QueueName.Catalog)
export class CatalogProcessor extends WorkerHost {
  constructor(
    private readonly retireVersion: RetireVersionUseCase,
    private readonly checkDrift: CheckDriftUseCase,
  ) {
    super();
  }

  async process(job: Job<JobPayloads[JobName.RetireVersion] | JobPayloads[JobName.CheckDrift]>): Promise<void> {
    switch (job.name) {
      case JobName.RetireVersion:
        return this.retireVersion.execute(job.data as JobPayloads[JobName.RetireVersion]);
      case JobName.CheckDrift:
        return this.checkDrift.execute();
      default:
        throw new Error(`the catalog queue has no job named ${job.name}`);
    }
  }

  /** The queue store went away: said once a minute, not at every reconnect. */
  @OnWorkerEvent('error')
  onStoreError(error: Error): void {
    storeErrors.report(`worker ${this.worker.name}`, error);
  }
}
