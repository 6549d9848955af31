import { Injectable } from '@nestjs/common';
import { InstanceStatus } from '@cam-esc/instances';
import { RetryInstanceUseCase } from '../../instances/usecases/retry-instance.usecase';
import { BatchRerun, RerunBatchItems } from './rerun-batch-items';

/** POST …/Batches/{id}/retry: every item whose instance is in Error runs its failed action again, at the batch's concurrency. */
@Injectable()
export class RetryBatchUseCase {
  constructor(
    private readonly rerun: RerunBatchItems,
    private readonly retry: RetryInstanceUseCase,
  ) {}

  execute(tenantId: string, id: string): Promise<BatchRerun> {
    return this.rerun.run(tenantId, id, [InstanceStatus.Error], 'retry', (instanceId, turn) => this.retry.execute(tenantId, instanceId, { retry_details: { is_partial: false } }, turn));
  }
}
