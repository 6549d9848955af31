import { Injectable, Logger } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { BatchRepository } from '@cam-esc/persistence';

/** POST …/Batches/{id}/cancel: the items not started are cancelled (their instances, which never ran, go); the started ones run on. */
@Injectable()
export class CancelBatchUseCase {
  private readonly logger = new Logger(CancelBatchUseCase.name);

  constructor(private readonly batches: BatchRepository) {}

  async execute(tenantId: string, id: string): Promise<{ id: string; cancelled: number; state: string }> {
    const batch = await this.batches.find(tenantId, id);
    if (!batch) throw DomainException.notFound('batch', id);
    const cancelled = await this.batches.cancel(id);
    const after = await this.batches.find(tenantId, id);
    this.logger.log({ batchId: id, cancelled }, 'batch cancelled');
    return { id, cancelled, state: after?.state ?? batch.state };
  }
}
