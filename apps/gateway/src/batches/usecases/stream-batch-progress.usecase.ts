import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { BatchRepository } from '@cam-esc/persistence';
import { EventSink } from '../../instances/events/stream-instance-events.usecase';

/** How often a stream looks at its batch. */
export const BATCH_PROGRESS_MS = 1_000;

/**
 * A batch's progress as Server-Sent Events: `progress` (state, counts, running) now and whenever
 * it changes, then `done` once nothing of it runs or waits any more (the stream ends). The counts
 * are read from the database, so any gateway serves any batch's stream.
 */
@Injectable()
export class StreamBatchProgressUseCase {
  constructor(private readonly batches: BatchRepository) {}

  /** Checks the batch exists (a 404 before any stream), then streams; returns what stops it. */
  async execute(tenantId: string, id: string, open: () => EventSink): Promise<() => void> {
    if (!(await this.batches.find(tenantId, id))) throw DomainException.notFound('batch', id);
    const sink = open();
    let last = '';
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const look = async (): Promise<void> => {
      const batch = await this.batches.find(tenantId, id);
      if (!batch) return sink.end();
      const counts = await this.batches.counts(id);
      const data = { id, state: batch.state, total: batch.total, counts: counts.byStatus, running: counts.running, concurrency: batch.concurrency };
      const text = JSON.stringify(data);
      if (text !== last) sink.send({ event: 'progress', data });
      last = text;
      // Done, or Cancelled with nothing of it running any more
      if (batch.state !== 'Running' && counts.running === 0) {
        sink.send({ event: 'done', data });
        return sink.end();
      }
      if (!stopped) timer = setTimeout(() => void look().catch(() => sink.end()), BATCH_PROGRESS_MS);
    };
    await look();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }
}
