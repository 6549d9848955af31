import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { BatchRepository } from '@cam-esc/persistence';
import { BatchConnections, BatchConnectionView } from '../batch-connections';

export interface BatchQuery {
  limit: number;
  skip: number;
  /** Only the items that show this status (Pending, Invalid, Cancelled, or an instance Status: In_Progress, Active, Error, ...). */
  status?: string;
}

export interface BatchView {
  id: string;
  service_version_id: string;
  state: string;
  concurrency: number;
  total: number;
  invalid: number;
  /** Items by what they show: Pending, Invalid, Cancelled, or their instance's Status. */
  counts: Record<string, number>;
  /** Items whose action runs now (at most `concurrency`). */
  running: number;
  /** The ESC connections its items run on, each bounding its requests in flight (max_in_flight). */
  esc_connections: BatchConnectionView[];
  created_at: string;
  updated_at: string;
  items: Array<{ index: number; name: string; instance_id: string | null; status: string; error: string | null }>;
  limit: number;
  skip: number;
}

/** GET …/Batches/{id}: counts per status, and a page of items in index order, each with its instance and error. */
@Injectable()
export class GetBatchUseCase {
  constructor(
    private readonly batches: BatchRepository,
    private readonly connections: BatchConnections,
  ) {}

  async execute(tenantId: string, id: string, q: BatchQuery): Promise<BatchView> {
    const batch = await this.batches.find(tenantId, id);
    if (!batch) throw DomainException.notFound('batch', id);
    const [counts, items, connections] = await Promise.all([
      this.batches.counts(id),
      this.batches.items(id, q.skip, q.limit, q.status),
      this.batches.connectionNames(id).then((names) => this.connections.view(tenantId, names)),
    ]);
    return {
      id: batch.id,
      service_version_id: batch.serviceVersionId,
      state: batch.state,
      concurrency: batch.concurrency,
      total: batch.total,
      invalid: batch.invalid,
      counts: counts.byStatus,
      running: counts.running,
      esc_connections: connections,
      created_at: batch.createdAt.toISOString(),
      updated_at: batch.updatedAt.toISOString(),
      items: items.map((i) => ({ index: i.index, name: i.name, instance_id: i.serviceInstanceId, status: i.state === 'Started' ? (i.instanceStatus ?? 'Deleted') : i.state, error: i.error })),
      limit: q.limit,
      skip: q.skip,
    };
  }
}
