import { Injectable, Logger } from '@nestjs/common';
import { advanceBatchJob, BATCH_TICK_MS, JobName, JobPayloads, JobQueue } from '@cam-esc/jobs';
import { BatchRepository, BatchState } from '@cam-esc/persistence';

export type AdvanceBatchCommand = JobPayloads[JobName.AdvanceBatch];

/**
 * Keeps a batch going: starts its next Pending items (their Queued Provision becomes Submitted
 * and its run is queued) while fewer than its concurrency run, then looks again a quarter second later,
 * until every item has run. Its jobs are keyed by the tick, so however many ask, one runs.
 */
@Injectable()
export class AdvanceBatchUseCase {
  private readonly logger = new Logger(AdvanceBatchUseCase.name);

  constructor(
    private readonly batches: BatchRepository,
    private readonly jobs: JobQueue,
  ) {}

  async execute(cmd: AdvanceBatchCommand): Promise<void> {
    const { started, pending, running, state } = await this.batches.startNext(cmd.batchId);
    for (const s of started) await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: s.actionInstanceId, serviceInstanceId: s.serviceInstanceId, trigger: 'start' });
    if (started.length) this.logger.log({ batchId: cmd.batchId, started: started.length, pending, running }, `batch: ${started.length} item(s) started`);
    if (state === BatchState.Done && started.length === 0 && pending === 0 && running === 0) this.logger.log({ batchId: cmd.batchId }, 'batch done: every item has run');
    if (state !== BatchState.Running) return;
    const next = advanceBatchJob(cmd.batchId, Date.now() + BATCH_TICK_MS);
    await this.jobs.enqueue(JobName.AdvanceBatch, next.payload, { delayMs: next.delayMs });
  }
}
