import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { PrismaService, Tx } from '../prisma.service';

/** The PostgreSQL channel every instance event is announced on (its payload: { id, instance, tenant }). */
export const INSTANCE_EVENTS_CHANNEL = 'instance_events';

/** action: an action started or ended; state: the instance's Status moved; log: a line of an action's log; callback: an ESC callback applied. */
export type InstanceEventType = 'action' | 'state' | 'log' | 'callback';

export interface NewInstanceEvent {
  serviceInstanceId: string;
  actionInstanceId?: string | null;
  type: InstanceEventType;
  data: Record<string, unknown>;
}

export interface StoredInstanceEvent {
  id: bigint;
  tenantId: string;
  serviceInstanceId: string;
  actionInstanceId: string | null;
  type: string;
  data: Prisma.JsonValue;
  createdAt: Date;
}

/**
 * Records an event in the caller's transaction and announces it; PostgreSQL delivers the NOTIFY
 * when the transaction commits (never for one rolled back). Written under the instance's lock,
 * one instance's events are numbered in the order they commit. One statement.
 */
export async function recordInstanceEvent(tx: Tx, event: NewInstanceEvent): Promise<void> {
  const now = new Date(); // UTC, as Prisma writes timestamps
  await tx.$executeRaw`
    WITH e AS (
      INSERT INTO instance_event (tenant_id, service_instance_id, action_instance_id, type, data, created_at)
      SELECT si.tenant_id, si.id, ${event.actionInstanceId ?? null}::uuid, ${event.type}, ${JSON.stringify(event.data)}::jsonb, ${now}::timestamp(3)
      FROM service_instance si WHERE si.id = ${event.serviceInstanceId}::uuid
      RETURNING id, tenant_id, service_instance_id
    )
    SELECT pg_notify(${INSTANCE_EVENTS_CHANNEL}, json_build_object('id', e.id::text, 'instance', e.service_instance_id::text, 'tenant', e.tenant_id)::text) FROM e`;
}

/**
 * Records what applying a callback made of it, and the event that streams it, in one statement
 * (the worker applies every callback ESC sends: a round trip saved on each).
 */
export async function recordCallbackApplied(
  tx: Tx,
  callback: { id: string; outcome: string; detail: string | null },
  event: { serviceInstanceId: string; actionInstanceId: string; data: Record<string, unknown> },
): Promise<void> {
  const now = new Date();
  await tx.$executeRaw`
    WITH c AS (
      UPDATE esc_callback SET outcome = ${callback.outcome}, detail = ${callback.detail}, applied_at = ${now}::timestamp(3) WHERE id = ${callback.id}::uuid
      RETURNING id
    ), e AS (
      INSERT INTO instance_event (tenant_id, service_instance_id, action_instance_id, type, data, created_at)
      SELECT si.tenant_id, si.id, ${event.actionInstanceId}::uuid, 'callback', ${JSON.stringify(event.data)}::jsonb, ${now}::timestamp(3)
      FROM service_instance si, c WHERE si.id = ${event.serviceInstanceId}::uuid
      RETURNING id, tenant_id, service_instance_id
    )
    SELECT pg_notify(${INSTANCE_EVENTS_CHANNEL}, json_build_object('id', e.id::text, 'instance', e.service_instance_id::text, 'tenant', e.tenant_id)::text) FROM e`;
}

/** Announces that an instance was deleted (cleanup): its events went with it, its streams end. */
export async function announceInstanceDeleted(tx: Tx, serviceInstanceId: string, tenantId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${INSTANCE_EVENTS_CHANNEL}, json_build_object('instance', ${serviceInstanceId}::text, 'tenant', ${tenantId}::text, 'deleted', true)::text)`;
}

/**
 * Appends a line to an action's log and records it as an event, in one statement: the log is
 * what CAM shows as `logs`, the event what live progress streams.
 */
export async function appendLogLine(tx: Tx, actionInstanceId: string, line: string): Promise<void> {
  const now = new Date();
  await tx.$executeRaw`
    WITH a AS (
      UPDATE action_instance SET log = log || ${`\n${now.toISOString()} ${line}`}, updated_at = ${now}::timestamp(3) WHERE id = ${actionInstanceId}::uuid
      RETURNING id, service_instance_id
    ), e AS (
      INSERT INTO instance_event (tenant_id, service_instance_id, action_instance_id, type, data, created_at)
      SELECT si.tenant_id, a.service_instance_id, a.id, 'log', jsonb_build_object('line', ${line}::text), ${now}::timestamp(3)
      FROM a JOIN service_instance si ON si.id = a.service_instance_id
      RETURNING id, tenant_id, service_instance_id
    )
    SELECT pg_notify(${INSTANCE_EVENTS_CHANNEL}, json_build_object('id', e.id::text, 'instance', e.service_instance_id::text, 'tenant', e.tenant_id)::text) FROM e`;
}

@Injectable()
export class InstanceEventRepository {
  constructor(private readonly prisma: PrismaService) {}

  findById(id: bigint): Promise<StoredInstanceEvent | null> {
    return this.prisma.instanceEvent.findUnique({ where: { id } });
  }

  /** An instance's latest event (none or one). */
  latestOf(serviceInstanceId: string): Promise<StoredInstanceEvent[]> {
    return this.prisma.instanceEvent.findMany({ where: { serviceInstanceId }, orderBy: { id: 'desc' }, take: 1 });
  }

  /** An instance's events after `afterId`, oldest first. */
  afterId(serviceInstanceId: string, afterId: bigint, limit: number): Promise<StoredInstanceEvent[]> {
    return this.prisma.instanceEvent.findMany({ where: { serviceInstanceId, id: { gt: afterId } }, orderBy: { id: 'asc' }, take: limit });
  }

  /** A tenant's events from `since` on, oldest first. */
  tenantSince(tenantId: string, since: Date, limit: number): Promise<StoredInstanceEvent[]> {
    return this.prisma.instanceEvent.findMany({ where: { tenantId, createdAt: { gte: since } }, orderBy: { id: 'asc' }, take: limit });
  }

  /** Drops events older than `before` (live progress is for now; the action logs keep the history). */
  async prune(before: Date): Promise<number> {
    const { count } = await this.prisma.instanceEvent.deleteMany({ where: { createdAt: { lt: before } } });
    return count;
  }
}
