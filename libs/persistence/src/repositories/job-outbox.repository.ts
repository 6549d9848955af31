import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { PrismaService, Tx } from '../prisma.service';

/** A job to queue once the transaction that writes it commits. */
export interface OutboxEntry {
  name: string;
  jobId: string;
  payload: Record<string, unknown>;
  /** A delayed job: when it is due. */
  runAt?: Date;
}

export interface OutboxRow extends OutboxEntry {
  id: bigint;
  createdAt: Date;
}

/**
 * An outbox row's time is the database's (in UTC, as Prisma writes timestamps): the workers
 * compare it with the database's clock too, so a writer whose clock is off cannot delay its rows.
 */
export const OUTBOX_NOW = Prisma.raw(`(now() AT TIME ZONE 'UTC')::timestamp(3)`);

/**
 * The INSERT of one outbox row for each row of `source` (a CTE of the statement that writes the
 * request, so that request and job are one statement), returning the row's id.
 */
export function outboxInsertFrom(entry: OutboxEntry, source: string): Prisma.Sql {
  return Prisma.sql`INSERT INTO job_outbox (name, job_id, payload, run_at, created_at)
    SELECT ${entry.name}, ${entry.jobId}, ${JSON.stringify(entry.payload)}::jsonb, ${entry.runAt ?? null}::timestamp(3), ${OUTBOX_NOW} FROM ${Prisma.raw(source)}
    RETURNING id`;
}

/** Inserts outbox rows in the caller's transaction; returns their ids. */
export async function writeOutbox(tx: Tx, entries: OutboxEntry[]): Promise<bigint[]> {
  if (entries.length === 0) return [];
  const rows = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO job_outbox (name, job_id, payload, run_at, created_at)
    SELECT e.name, e.job_id, e.payload, e.run_at, ${OUTBOX_NOW}
    FROM jsonb_to_recordset(${JSON.stringify(entries.map((e) => ({ name: e.name, job_id: e.jobId, payload: e.payload, run_at: e.runAt?.toISOString() ?? null })))}::jsonb)
         AS e(name text, job_id text, payload jsonb, run_at timestamp(3))
    RETURNING id`;
  return rows.map((r) => r.id);
}

/**
 * The transactional outbox (job_outbox): rows are written with the request they belong to
 * (writeOutbox, or a CTE of the repository that writes the request) and deleted once their job
 * is in the queue.
 */
@Injectable()
export class JobOutboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Rows relayed: gone. */
  async delete(ids: bigint[]): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.$executeRaw`DELETE FROM job_outbox WHERE id = ANY(${ids.map(String)}::bigint[])`;
  }

  /**
   * Takes up to `limit` rows older than `olderThanMs` that no other process is relaying
   * (SKIP LOCKED), hands them to `relay`, and deletes those it says were queued, all in one
   * transaction: a process that dies mid-way leaves its rows to the next.
   */
  relayOldest(olderThanMs: number, limit: number, relay: (rows: OutboxRow[]) => Promise<bigint[]>): Promise<number> {
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<{ id: bigint; name: string; job_id: string; payload: Prisma.JsonValue; run_at: Date | null; created_at: Date }[]>`
          SELECT id, name, job_id, payload, run_at, created_at FROM job_outbox
          WHERE created_at < ${OUTBOX_NOW} - ${olderThanMs}::int * interval '1 millisecond' ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return 0;
        const queued = await relay(
          rows.map((r) => ({ id: r.id, name: r.name, jobId: r.job_id, payload: r.payload as Record<string, unknown>, runAt: r.run_at ?? undefined, createdAt: r.created_at })),
        );
        if (queued.length > 0) await tx.$executeRaw`DELETE FROM job_outbox WHERE id = ANY(${queued.map(String)}::bigint[])`;
        return queued.length;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  }

  /** How many rows wait, and since when (for /metrics). */
  async backlog(): Promise<{ rows: number; oldest: Date | null }> {
    const [r] = await this.prisma.$queryRaw<{ rows: bigint; oldest: Date | null }[]>`SELECT count(*) AS rows, min(created_at) AS oldest FROM job_outbox`;
    return { rows: Number(r.rows), oldest: r.oldest };
  }
}
