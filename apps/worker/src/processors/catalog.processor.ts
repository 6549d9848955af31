import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { JobName, JobPayloads, QueueName, storeErrors } from '@cam-esc/jobs';
import { Job } from 'bullmq';
import { RetireVersionUseCase } from '../retire-version/retire-version.usecase';

/** Thin: maps catalog jobs to their use cases. */
@Processor(QueueName.Catalog)
export class CatalogProcessor extends WorkerHost {
  constructor(private readonly retireVersion: RetireVersionUseCase) {
    super();
  }

  async process(job: Job<JobPayloads[JobName.RetireVersion]>): Promise<void> {
    if (job.name !== JobName.RetireVersion) throw new Error(`the catalog queue has no job named ${job.name}`);
    await this.retireVersion.execute(job.data);
  }

  /** The queue store went away: said once a minute, not at every reconnect. */
  @OnWorkerEvent('error')
  onStoreError(error: Error): void {
    storeErrors.report(`worker ${this.worker.name}`, error);
  }
}
