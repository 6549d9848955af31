import { Injectable } from '@nestjs/common';
import { InstanceStatus } from '@cam-esc/instances';
import { BatchRepository } from '@cam-esc/persistence';
import { TerminateInstanceUseCase } from '../../instances/usecases/terminate-instance.usecase';
import { BatchRerun, RerunBatchItems } from './rerun-batch-items';

/**
 * POST …/Batches/{id}/terminate: the items not started yet are cancelled, and every instance the
 * batch made (Active or in Error) is terminated, at the batch's concurrency.
 */
@Injectable()
export class TerminateBatchUseCase {
  constructor(
    private readonly rerun: RerunBatchItems,
    private readonly terminate: TerminateInstanceUseCase,
    private readonly batches: BatchRepository,
  ) {}

  async execute(tenantId: string, id: string): Promise<BatchRerun & { cancelled: number }> {
    const batch = await this.batches.find(tenantId, id);
    const cancelled = batch?.state === 'Running' ? await this.batches.cancel(id) : 0;
    const done = await this.rerun.run(tenantId, id, [InstanceStatus.Active, InstanceStatus.Error, InstanceStatus.InProgress, InstanceStatus.Submitted], 'terminate', (instanceId, turn) => this.terminate.execute(tenantId, instanceId, {}, turn));
    return { ...done, cancelled };
  }
}
