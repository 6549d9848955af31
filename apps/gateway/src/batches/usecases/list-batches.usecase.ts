import { Injectable } from '@nestjs/common';
import { BatchRepository } from '@cam-esc/persistence';

/** GET …/Batches: the tenant's batches, newest first, each with its counts (what a progress bar needs). */
@Injectable()
export class ListBatchesUseCase {
  constructor(private readonly batches: BatchRepository) {}

  async execute(tenantId: string, page: { limit: number; skip: number }) {
    const batches = await this.batches.list(tenantId, page.skip, page.limit);
    const counts = await this.batches.countsOf(batches.map((b) => b.id));
    return batches.map((b) => ({
      id: b.id,
      service_version_id: b.serviceVersionId,
      state: b.state,
      concurrency: b.concurrency,
      total: b.total,
      invalid: b.invalid,
      counts: counts.get(b.id)!.byStatus,
      running: counts.get(b.id)!.running,
      created_at: b.createdAt.toISOString(),
      updated_at: b.updatedAt.toISOString(),
    }));
  }
}
