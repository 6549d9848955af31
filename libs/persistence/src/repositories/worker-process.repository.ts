import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { OUTBOX_NOW } from './job-outbox.repository';

/** How often a running worker says it is alive. */
export const WORKER_BEAT_MS = 2_000;

/** A worker not seen for this long is gone (killed, frozen, cut off): its claims are taken over. */
export const WORKER_GONE_MS = 10_000;

/** A worker may only claim a send while its own last beat is this recent (it would not be seen as gone during the send). */
export const WORKER_FRESH_MS = 5_000;

/** Rows of workers gone this long are dropped (kept a while, for an operator reading who held what). */
const FORGET_AFTER_MS = 24 * 3600_000;

/** The running worker processes (worker_process), on the database's clock. */
@Injectable()
export class WorkerProcessRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Says the worker is alive (registering it the first time). */
  async beat(id: string, host: string, pid: number): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO worker_process (id, host, pid, started_at, seen_at) VALUES (${id}, ${host}, ${pid}, ${OUTBOX_NOW}, ${OUTBOX_NOW})
      ON CONFLICT (id) DO UPDATE SET seen_at = EXCLUDED.seen_at`;
  }

  /** A worker that stops cleanly: its remaining claims (if any) are free at once. */
  async forget(id: string): Promise<void> {
    await this.prisma.workerProcess.deleteMany({ where: { id } });
  }

  async pruneGone(): Promise<number> {
    return this.prisma.$executeRaw`DELETE FROM worker_process WHERE seen_at < ${OUTBOX_NOW} - ${FORGET_AFTER_MS} * interval '1 millisecond'`;
  }
}
