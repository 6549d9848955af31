import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { EscCallback } from '../generated/prisma/client';
import { randomUUID } from 'node:crypto';
import { outboxInsertFrom, OutboxEntry } from './job-outbox.repository';

export interface NewCallbackForToken {
  transactionId: string | null;
  statusCode: number | null;
  statusMessage: string | null;
  headers: Record<string, unknown>;
  body: string;
  stage: string | null;
  internalIdByKind: Record<string, string>;
  detail: string | null;
  /** `request` (the Callback URL) or `events` (the Callback-ESC-Events URL). */
  channel: string;
}

export type CallbackPlace = Pick<EscCallback, 'id' | 'seq' | 'outcome' | 'escRequestId'> & { serviceInstanceId: string | null };

export interface StoredCallback {
  id: string;
  /** The kind of the step whose request the callback answers. */
  kind: string;
  serviceInstanceId: string;
}

@Injectable()
export class EscCallbackRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Stores a callback for the request its URL token names, in one statement (the hot path of
   * ingest: no read before the write, no body read back). `internalIdByKind` gives, per step kind,
   * the internal id the callback names for such a resource; the request's kind picks one.
   * Null when no request has the token.
   */
  /**
   * Stores a callback of the request whose token it came with, and the job that applies it (an
   * outbox row, `job(id)` for the callback's id), in one statement; null (nothing written) for an
   * unknown token.
   */
  async storeForToken(token: string, data: NewCallbackForToken, job: (callbackId: string) => OutboxEntry): Promise<(StoredCallback & { outboxId: bigint; job: OutboxEntry }) | null> {
    const id = randomUUID();
    const entry = job(id);
    const now = new Date();
    const [stored] = await this.prisma.$queryRaw<Array<StoredCallback & { outboxId: bigint }>>`
      WITH target AS (
        SELECT q.id, r.kind, r.service_instance_id FROM esc_request q JOIN esc_resource r ON r.id = q.esc_resource_id WHERE q.callback_token = ${token}
      ), stored AS (
        INSERT INTO esc_callback (id, esc_request_id, channel, transaction_id, status_code, status_message, headers, body, stage, internal_id, detail, received_at)
        SELECT ${id}::uuid, target.id, ${data.channel}, ${data.transactionId}, ${data.statusCode}::int, ${data.statusMessage}, ${JSON.stringify(data.headers)}::jsonb, ${data.body},
               ${data.stage}, ${JSON.stringify(data.internalIdByKind)}::jsonb ->> target.kind, ${data.detail}, ${now}::timestamp(3)
        FROM target
        RETURNING id
      ), job AS (
        ${outboxInsertFrom(entry, 'stored')}
      )
      SELECT stored.id::text AS id, target.kind, target.service_instance_id::text AS "serviceInstanceId", job.id AS "outboxId" FROM stored, target, job`;
    return stored ? { ...stored, job: entry } : null;
  }

  /** The ESC events (Callback-ESC-Events) of an instance's resources, newest first. */
  eventsOfInstance(serviceInstanceId: string, limit: number): Promise<EscEventRow[]> {
    return this.prisma.escCallback.findMany({
      where: { channel: 'events', escRequest: { escResource: { serviceInstanceId } } },
      select: { id: true, stage: true, statusCode: true, statusMessage: true, outcome: true, detail: true, receivedAt: true, appliedAt: true, internalId: true, body: true },
      orderBy: { seq: 'desc' },
      take: limit,
    });
  }

  findById(id: string): Promise<EscCallback | null> {
    return this.prisma.escCallback.findUnique({ where: { id } });
  }

  /** Where a callback stands and the instance its request belongs to (one query; not its body, which the applying reads under the lock). */
  async findWithInstance(id: string): Promise<CallbackPlace | null> {
    const found = await this.prisma.escCallback.findUnique({
      where: { id },
      select: { id: true, seq: true, outcome: true, escRequestId: true, escRequest: { select: { escResource: { select: { serviceInstanceId: true } } } } },
    });
    if (!found) return null;
    const { escRequest, ...callback } = found;
    return { ...callback, serviceInstanceId: escRequest?.escResource.serviceInstanceId ?? null };
  }
}

/** What the event history of an instance shows of one ESC event. */
export type EscEventRow = Pick<EscCallback, 'id' | 'stage' | 'statusCode' | 'statusMessage' | 'outcome' | 'detail' | 'receivedAt' | 'appliedAt' | 'internalId' | 'body'>;
