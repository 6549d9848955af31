import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma.service';
import { OutboxEntry, writeOutbox } from './job-outbox.repository';

export enum BatchState {
  /** Its items are being checked and written: not shown, dropped if the submission is refused. */
  Validating = 'Validating',
  Running = 'Running',
  Cancelled = 'Cancelled',
  /** Every item has run (each ended Active, Error, ... as its instance says). */
  Done = 'Done',
}

export enum BatchItemState {
  /** Refused by the checks (kept when the submission asked to go on with the valid ones): no instance. */
  Invalid = 'Invalid',
  /** Its instance's action waits (Queued) for the batch to start it. */
  Pending = 'Pending',
  Started = 'Started',
  /** Cancelled before it started: its instance was never run and is gone. */
  Cancelled = 'Cancelled',
}

/** What an item shows: its own state until it starts, then its instance's Status. */
export interface BatchItemView {
  index: number;
  name: string;
  serviceInstanceId: string | null;
  state: string;
  instanceStatus: string | null;
  error: string | null;
}

export interface BatchCounts {
  /** Items by what they show: Invalid, Pending, Cancelled, and the Status of started items' instances. */
  byStatus: Record<string, number>;
  /** Started items whose instance's action still runs. */
  running: number;
}

/** What an item of `batch_item b` shows (its own state until it starts, then the Status of `service_instance si`), in SQL. */
export const BATCH_ITEM_SHOWS = Prisma.raw(`CASE WHEN b.state = 'Started' THEN COALESCE(si.status, 'Deleted') ELSE b.state END`);

/** A started item whose action (`action_instance a`, the instance's current one) still runs, in SQL. */
const ITEM_RUNS = Prisma.raw(`b.state = 'Started' AND a.status IN ('Submitted', 'In_Progress')`);

/** Batches and their items (batch, batch_item). */
@Injectable()
export class BatchRepository {
  constructor(private readonly prisma: PrismaService) {}

  createValidating(id: string, tenantId: string, serviceVersionId: string, concurrency: number): Promise<unknown> {
    const now = new Date();
    return this.prisma.batch.create({ data: { id, tenantId, serviceVersionId, concurrency, state: BatchState.Validating, createdAt: now, updatedAt: now } });
  }

  /** Items as the submission writes them, in pages. */
  async addItems(batchId: string, items: Array<{ index: number; name: string; serviceInstanceId?: string; state: BatchItemState; error?: string }>): Promise<void> {
    if (items.length) await this.prisma.batchItem.createMany({ data: items.map((i) => ({ batchId, index: i.index, name: i.name, serviceInstanceId: i.serviceInstanceId ?? null, state: i.state, error: i.error ?? null })) });
  }

  /** The submission went through: the batch runs, and its first advance job is written with it (returns the outbox row's id). */
  async open(batchId: string, total: number, invalid: number, job: OutboxEntry): Promise<bigint> {
    return this.prisma.$transaction(async (tx) => {
      await tx.batch.update({ where: { id: batchId }, data: { state: BatchState.Running, total, invalid, updatedAt: new Date() } });
      const [id] = await writeOutbox(tx, [job]);
      return id;
    });
  }

  /** A submission refused (or interrupted): the batch, its items and the instances they made (none of which ran). */
  async drop(batchId: string, alsoInstances: string[] = []): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.serviceInstance.deleteMany({ where: { OR: [{ batchItem: { batchId } }, ...(alsoInstances.length ? [{ id: { in: alsoInstances }, actions: { every: { status: 'Queued' } } }] : [])] } }),
      this.prisma.batch.deleteMany({ where: { id: batchId } }),
    ]);
  }

  /**
   * Submissions that never finished (their gateway died mid-upload): their instances (which never
   * ran) and the batch go. Instances written in the last page before the death have no item row:
   * they are the Queued Provisions of instances no batch item names.
   */
  async dropStaleValidating(olderThan: Date): Promise<number> {
    const stale = await this.prisma.batch.findMany({ where: { state: BatchState.Validating, createdAt: { lt: olderThan } }, select: { id: true } });
    for (const b of stale) await this.drop(b.id);
    await this.prisma.serviceInstance.deleteMany({ where: { createdAt: { lt: olderThan }, batchItem: null, actions: { every: { status: 'Queued' } }, NOT: { actions: { none: {} } } } });
    return stale.length;
  }

  find(tenantId: string, id: string) {
    return this.prisma.batch.findFirst({ where: { id, tenantId, state: { not: BatchState.Validating } } });
  }

  /** A page of the tenant's batches, newest first. */
  list(tenantId: string, skip: number, take: number) {
    return this.prisma.batch.findMany({ where: { tenantId, state: { not: BatchState.Validating } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take });
  }

  /** The counts of several batches at once (a page of the list), by batch id. */
  async countsOf(batchIds: string[]): Promise<Map<string, BatchCounts>> {
    const counts = new Map<string, BatchCounts>(batchIds.map((id) => [id, { byStatus: {}, running: 0 }]));
    if (!batchIds.length) return counts;
    const rows = await this.prisma.$queryRaw<Array<{ batch_id: string; status: string; n: number; running: number }>>`
      SELECT b.batch_id::text, ${BATCH_ITEM_SHOWS} AS status,
             count(*)::int AS n,
             count(*) FILTER (WHERE ${ITEM_RUNS})::int AS running
        FROM batch_item b
        LEFT JOIN service_instance si ON si.id = b.service_instance_id
        LEFT JOIN action_instance a ON a.id = si.current_action_instance_id
       WHERE b.batch_id = ANY(${batchIds}::uuid[])
       GROUP BY 1, 2`;
    for (const r of rows) {
      const c = counts.get(r.batch_id)!;
      c.byStatus[r.status] = r.n;
      c.running += r.running;
    }
    return counts;
  }

  async counts(batchId: string): Promise<BatchCounts> {
    return (await this.countsOf([batchId])).get(batchId)!;
  }

  /** A page of items in index order, with what each shows; an item whose instance ended in Error, with why its action failed (the last line of its log). */
  async items(batchId: string, skip: number, take: number, status?: string): Promise<BatchItemView[]> {
    const rows = await this.prisma.$queryRaw<Array<{ index: number; name: string; service_instance_id: string | null; state: string; instance_status: string | null; error: string | null }>>`
      SELECT b.index, b.name, b.service_instance_id::text, b.state, si.status AS instance_status,
             COALESCE(b.error, CASE WHEN si.status = 'Error' THEN COALESCE(a.failure, (regexp_match(rtrim(a.log, E'\n'), '[^\n]*$'))[1]) END) AS error
        FROM batch_item b
        LEFT JOIN service_instance si ON si.id = b.service_instance_id
        LEFT JOIN action_instance a ON a.id = si.current_action_instance_id
       WHERE b.batch_id = ${batchId}::uuid
         ${status ? Prisma.sql`AND (${BATCH_ITEM_SHOWS}) = ${status}` : Prisma.empty}
       ORDER BY b.index
       OFFSET ${skip} LIMIT ${take}`;
    return rows.map((r) => ({ index: r.index, name: r.name, serviceInstanceId: r.service_instance_id, state: r.state, instanceStatus: r.instance_status, error: r.error }));
  }

  /**
   * Starts up to the batch's free places (concurrency minus the items whose action still runs):
   * the next Pending items in index order become Started and their Queued actions Submitted, in one
   * statement under the batch's row lock (two runs of it at once start each item once). Returns
   * the actions started, and whether the batch has anything left to run.
   */
  async startNext(batchId: string): Promise<{ started: Array<{ actionInstanceId: string; serviceInstanceId: string }>; pending: number; running: number; state: string | null }> {
    return this.prisma.$transaction(async (tx) => {
      const [batch] = await tx.$queryRaw<Array<{ state: string; concurrency: number }>>`SELECT state, concurrency FROM batch WHERE id = ${batchId}::uuid FOR UPDATE`;
      if (!batch) return { started: [], pending: 0, running: 0, state: null };
      // an instance deleted (cleanup) before its turn: its item has nothing left to start
      await tx.$executeRaw`UPDATE batch_item SET state = 'Cancelled', error = 'its instance was deleted before its turn' WHERE batch_id = ${batchId}::uuid AND state = 'Pending' AND service_instance_id IS NULL`;
      const [{ running, pending }] = await tx.$queryRaw<Array<{ running: number; pending: number }>>`
        SELECT count(*) FILTER (WHERE ${ITEM_RUNS})::int AS running,
               count(*) FILTER (WHERE b.state = 'Pending')::int AS pending
          FROM batch_item b
          LEFT JOIN service_instance si ON si.id = b.service_instance_id
          LEFT JOIN action_instance a ON a.id = si.current_action_instance_id
         WHERE b.batch_id = ${batchId}::uuid AND b.state IN ('Started', 'Pending')`;
      if (batch.state !== BatchState.Running) return { started: [], pending, running, state: batch.state };
      const free = Math.max(0, batch.concurrency - running);
      if (pending === 0 && running === 0) {
        // everything has run: Done, under the same lock a retry's reopening waits for
        await tx.batch.update({ where: { id: batchId }, data: { state: BatchState.Done, updatedAt: new Date() } });
        return { started: [], pending, running, state: BatchState.Done };
      }
      if (free === 0 || pending === 0) return { started: [], pending, running, state: batch.state };
      const started = await tx.$queryRaw<Array<{ actionInstanceId: string; serviceInstanceId: string }>>`
        WITH next AS (
          SELECT b.batch_id, b.index, si.id AS instance_id, si.current_action_instance_id AS action_id
            FROM batch_item b JOIN service_instance si ON si.id = b.service_instance_id
           WHERE b.batch_id = ${batchId}::uuid AND b.state = 'Pending'
           ORDER BY b.index
           LIMIT ${free}
        ), items AS (
          UPDATE batch_item b SET state = 'Started', started_at = (now() AT TIME ZONE 'UTC')::timestamp(3)
            FROM next WHERE b.batch_id = next.batch_id AND b.index = next.index
        )
        UPDATE action_instance a SET status = 'Submitted', updated_at = (now() AT TIME ZONE 'UTC')::timestamp(3)
          FROM next WHERE a.id = next.action_id AND a.status = 'Queued'
        RETURNING a.id::text AS "actionInstanceId", a.service_instance_id::text AS "serviceInstanceId"`;
      return { started, pending: pending - started.length, running: running + started.length, state: batch.state };
    });
  }

  /**
   * The ESC connections a batch's items run on: those its first item's Provision plans (a flow
   * names them, or a parameter does), and those its items' ESC resources were made on.
   */
  async connectionNames(batchId: string): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<Array<{ name: string }>>`
      SELECT step->>'connection' AS name
        FROM (SELECT a.parameters FROM batch_item b JOIN action_instance a ON a.service_instance_id = b.service_instance_id AND a.type = 'provision'
               WHERE b.batch_id = ${batchId}::uuid ORDER BY b.index LIMIT 1) first, jsonb_array_elements(first.parameters->'plan') step
       WHERE COALESCE(step->>'connection', '') <> ''
      UNION
      SELECT DISTINCT res.connection_name FROM batch_item b JOIN esc_resource res ON res.service_instance_id = b.service_instance_id
       WHERE b.batch_id = ${batchId}::uuid AND res.connection_name <> ''
      ORDER BY 1`;
    return rows.map((r) => r.name);
  }

  /** Running batches (the sweep's: each gets its advance job back). */
  running(after: string | undefined, take: number): Promise<Array<{ id: string }>> {
    return this.prisma.batch.findMany({ where: { state: BatchState.Running, ...(after ? { id: { gt: after } } : {}) }, select: { id: true }, orderBy: { id: 'asc' }, take });
  }

  /** Started items whose instance is in one of `statuses`, in index order after `afterIndex`: a page. */
  startedWithStatus(batchId: string, statuses: string[], afterIndex: number, take: number): Promise<Array<{ index: number; serviceInstanceId: string }>> {
    return this.prisma.$queryRaw<Array<{ index: number; serviceInstanceId: string }>>`
      SELECT b.index, b.service_instance_id::text AS "serviceInstanceId"
        FROM batch_item b JOIN service_instance si ON si.id = b.service_instance_id
       WHERE b.batch_id = ${batchId}::uuid AND b.state = 'Started' AND si.status = ANY(${statuses}::text[]) AND b.index > ${afterIndex}
       ORDER BY b.index
       LIMIT ${take}`;
  }

  /** The batch runs (again: a retry, a terminate), its advance job written with it; returns the outbox row's id. */
  async reopen(batchId: string, job: OutboxEntry): Promise<bigint> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM batch WHERE id = ${batchId}::uuid FOR UPDATE`;
      await tx.batch.update({ where: { id: batchId }, data: { state: BatchState.Running, updatedAt: new Date() } });
      const [id] = await writeOutbox(tx, [job]);
      return id;
    });
  }

  /** A running batch's advance job written again (one that may have ended meanwhile); null when the batch does not run. */
  async kick(batchId: string, job: OutboxEntry): Promise<bigint | null> {
    return this.prisma.$transaction(async (tx) => {
      const [batch] = await tx.$queryRaw<Array<{ state: string }>>`SELECT state FROM batch WHERE id = ${batchId}::uuid FOR UPDATE`;
      if (batch?.state !== BatchState.Running) return null;
      const [id] = await writeOutbox(tx, [job]);
      return id;
    });
  }

  /**
   * Cancels what has not started: the Pending items become Cancelled; an instance whose Provision
   * never ran is deleted, a retry or terminate that waited ends unrun (Failed) and its instance
   * goes back to the Status it had. Returns how many.
   */
  async cancel(batchId: string): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM batch WHERE id = ${batchId}::uuid FOR UPDATE`;
      // one statement: exactly the items it cancels, whatever starts or queues meanwhile
      const pending = await tx.$queryRaw<Array<{ serviceInstanceId: string | null }>>`
        UPDATE batch_item SET state = 'Cancelled' WHERE batch_id = ${batchId}::uuid AND state = 'Pending' RETURNING service_instance_id::text AS "serviceInstanceId"`;
      const ids = pending.map((p) => p.serviceInstanceId).filter((id): id is string => !!id);
      // a deploy that never ran: its instance goes
      await tx.serviceInstance.deleteMany({ where: { id: { in: ids }, actions: { every: { status: 'Queued' } } } });
      // a retry or terminate that waited: its action ends unrun, and its instance is as it was before
      const now = new Date();
      const ended = await tx.$queryRaw<Array<{ id: string; before: string | null }>>`
        UPDATE action_instance a SET status = 'Failed', finished_at = ${now}, updated_at = ${now}, log = a.log || ${`${now.toISOString()} cancelled with its batch before its turn\n`}
          FROM service_instance si
         WHERE si.id = ANY(${ids}::uuid[]) AND a.id = si.current_action_instance_id AND a.status = 'Queued'
        RETURNING si.id::text AS id, a.details->>'statusBefore' AS before`;
      for (const e of ended) await tx.serviceInstance.update({ where: { id: e.id }, data: { status: e.before ?? 'Error', updatedAt: now } });
      await tx.batch.updateMany({ where: { id: batchId, state: BatchState.Running }, data: { state: BatchState.Cancelled, updatedAt: new Date() } });
      return pending.length;
    });
  }
}
