import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { Pool } from 'pg';
import { PrismaService } from '../prisma.service';

/** How often a running worker says it is alive. */
export const WORKER_BEAT_MS = 2_000;

/** A worker not seen for this long is gone (killed, frozen, cut off): its claims are taken over. */
export const WORKER_GONE_MS = 10_000;

/** A worker may only claim, or make, a send while its own last beat is this recent (it would not be seen as gone during the send). */
export const WORKER_FRESH_MS = 5_000;

/** Rows of workers gone this long are dropped (kept a while, for an operator reading who held what). */
const FORGET_AFTER_MS = 24 * 3600_000;

const UTC_NOW = `(now() AT TIME ZONE 'UTC')::timestamp(3)`;

/**
 * The running worker processes (worker_process), on the database's clock. The beat goes over a
 * connection of its own: a pool full of transactions waiting on instance locks must not make a
 * live worker look gone (its sends would be taken over while it makes them).
 */
@Injectable()
export class WorkerProcessRepository implements OnModuleDestroy {
  private readonly beats: Pool;

  constructor(
    private readonly prisma: PrismaService,
    config: AppConfig,
  ) {
    this.beats = new Pool({ connectionString: config.databaseUrl, max: 1, connectionTimeoutMillis: WORKER_BEAT_MS, idleTimeoutMillis: 0 });
    // a connection that breaks is made again at the next beat; its error must not end the process
    this.beats.on('error', () => undefined);
  }

  /** Says the worker is alive (registering it the first time). */
  async beat(id: string, host: string, pid: number): Promise<void> {
    await this.beats.query(
      `INSERT INTO worker_process (id, host, pid, started_at, seen_at) VALUES ($1, $2, $3, ${UTC_NOW}, ${UTC_NOW})
       ON CONFLICT (id) DO UPDATE SET seen_at = EXCLUDED.seen_at`,
      [id, host, pid],
    );
  }

  /** Workers seen within WORKER_GONE_MS (this one included, once it beat). */
  async liveCount(): Promise<number> {
    const { rows } = await this.beats.query<{ n: number }>(`SELECT count(*)::int AS n FROM worker_process WHERE seen_at > ${UTC_NOW} - $1 * interval '1 millisecond'`, [WORKER_GONE_MS]);
    return rows[0].n;
  }

  /** A worker that stops cleanly: its remaining claims (if any) are free at once. */
  async forget(id: string): Promise<void> {
    await this.prisma.workerProcess.deleteMany({ where: { id } });
  }

  async pruneGone(): Promise<number> {
    return this.prisma.$executeRawUnsafe(`DELETE FROM worker_process WHERE seen_at < ${UTC_NOW} - $1 * interval '1 millisecond'`, FORGET_AFTER_MS);
  }

  async onModuleDestroy(): Promise<void> {
    await this.beats.end().catch(() => undefined);
  }
}
