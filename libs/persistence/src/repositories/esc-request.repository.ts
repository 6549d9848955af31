import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { ActionInstance, EscRequest, EscResource, Prisma } from '../generated/prisma/client';
import { OUTBOX_NOW } from './job-outbox.repository';
import { WORKER_FRESH_MS, WORKER_GONE_MS } from './worker-process.repository';

/** A request with the resource it is about, and the tenant of that resource's instance. */
export type EscRequestWithResource = EscRequest & { escResource: EscResource & { serviceInstance: { tenantId: string } } };

const WITH_RESOURCE = { escResource: { include: { serviceInstance: { select: { tenantId: true } } } } } as const;

const AUDIT = {
  escResource: { select: { stepId: true, kind: true, internalId: true, connectionName: true } },
  actionInstance: { select: { id: true, name: true, type: true, parameters: true, securedNames: true, secretsSealed: true } },
  callbacks: { orderBy: { seq: 'asc' } },
} as const;

/** A request as the ESC audit of an instance shows it: its step, its action (and what that action keeps secret), its callbacks. */
export type EscRequestAudit = Prisma.EscRequestGetPayload<{ include: typeof AUDIT }>;

@Injectable()
export class EscRequestRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Every request sent (or to be sent) for the tenant's instance, oldest first, with its callbacks; null when the tenant has no such instance. */
  async auditOfInstance(tenantId: string, serviceInstanceId: string): Promise<EscRequestAudit[] | null> {
    const instance = await this.prisma.serviceInstance.findFirst({ where: { id: serviceInstanceId, tenantId }, select: { id: true } });
    if (!instance) return null;
    return this.prisma.escRequest.findMany({ where: { escResource: { serviceInstanceId } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], include: AUDIT });
  }

  findWithResource(id: string): Promise<EscRequestWithResource | null> {
    return this.prisma.escRequest.findUnique({ where: { id }, include: WITH_RESOURCE });
  }

  /** The request with the action it belongs to and whether that action is the instance's current one. */
  async findWithAction(id: string): Promise<(EscRequest & { actionInstance: ActionInstance; isCurrentAction: boolean }) | null> {
    const request = await this.prisma.escRequest.findUnique({ where: { id }, include: { actionInstance: { include: { serviceInstance: { select: { currentActionInstanceId: true } } } } } });
    if (!request) return null;
    const { serviceInstance, ...actionInstance } = request.actionInstance;
    return { ...request, actionInstance, isCurrentAction: serviceInstance.currentActionInstanceId === actionInstance.id };
  }

  /**
   * Takes the right to send a Pending request for worker `by` (sent_at and sent_by mark the claim):
   * when nobody holds it, when its holder is gone (not seen for WORKER_GONE_MS) or, for a claim
   * that names no worker (written before workers were named), when it is older than `leaseMs`. A claim taken over marks the request maybe received (the holder may
   * have sent it before it died), so that ESC is asked before it is sent again. `by` must itself
   * have been seen within WORKER_FRESH_MS: a worker cut off from the database does not start sends.
   * All on the database's clock.
   */
  async claimSend(id: string, by: string, leaseMs: number): Promise<SendClaim> {
    const rows = await this.prisma.$queryRaw<{ held_since: Date | null; held_by: string | null }[]>`
      WITH prev AS (SELECT id, sent_at, sent_by FROM esc_request WHERE id = ${id}::uuid AND status = 'Pending' FOR UPDATE)
      UPDATE esc_request r
         SET sent_at = ${OUTBOX_NOW}, sent_by = ${by}, maybe_received = r.maybe_received OR prev.sent_at IS NOT NULL, updated_at = ${OUTBOX_NOW}
        FROM prev
       WHERE r.id = prev.id
         AND EXISTS (SELECT 1 FROM worker_process me WHERE me.id = ${by} AND me.seen_at > ${OUTBOX_NOW} - ${WORKER_FRESH_MS} * interval '1 millisecond')
         AND (prev.sent_at IS NULL
              OR (prev.sent_by IS NULL AND prev.sent_at < ${OUTBOX_NOW} - ${leaseMs} * interval '1 millisecond')
              OR (prev.sent_by IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM worker_process w WHERE w.id = prev.sent_by AND w.seen_at > ${OUTBOX_NOW} - ${WORKER_GONE_MS} * interval '1 millisecond')))
      RETURNING prev.sent_at AS held_since, prev.sent_by AS held_by`;
    if (rows.length === 0) return { claimed: false };
    const [row] = rows;
    return row.held_since ? { claimed: true, tookOverFrom: { worker: row.held_by, since: row.held_since } } : { claimed: true };
  }

  /** Gives `by`'s claim up (nothing was sent, or the answer is recorded and the request still Pending); a claim taken over since is left alone. */
  async releaseSend(id: string, by: string): Promise<void> {
    await this.prisma.escRequest.updateMany({ where: { id, status: 'Pending', sentBy: by }, data: { sentAt: null, sentBy: null } });
  }

  /**
   * Pending requests of running actions claimed by a worker that is gone, or (claims written before workers were
   * named) claimed longer ago than `leaseMs`: their send died with its worker.
   */
  abandonedSends(leaseMs: number, limit: number): Promise<AbandonedSend[]> {
    return this.prisma.$queryRaw<AbandonedSend[]>`
      SELECT r.id::text AS id, r.action_instance_id::text AS "actionInstanceId", res.service_instance_id::text AS "serviceInstanceId", r.sent_at AS "sentAt"
        FROM esc_request r JOIN esc_resource res ON res.id = r.esc_resource_id
        JOIN action_instance a ON a.id = r.action_instance_id AND a.status = 'In_Progress'
       WHERE r.status = 'Pending' AND r.sent_at IS NOT NULL
         AND (CASE WHEN r.sent_by IS NULL THEN r.sent_at < ${OUTBOX_NOW} - ${leaseMs} * interval '1 millisecond'
                   ELSE NOT EXISTS (SELECT 1 FROM worker_process w WHERE w.id = r.sent_by AND w.seen_at > ${OUTBOX_NOW} - ${WORKER_GONE_MS} * interval '1 millisecond') END)
       ORDER BY r.sent_at
       LIMIT ${limit}`;
  }

  /** Requests being sent to ESC now (claimed, not yet answered), by tenant and connection. */
  inFlight(tenantId?: string): Promise<Array<{ tenantId: string; connection: string; n: number }>> {
    return this.prisma.$queryRaw<Array<{ tenantId: string; connection: string; n: number }>>`
      SELECT si.tenant_id AS "tenantId", res.connection_name AS connection, count(*)::int AS n
        FROM esc_request r JOIN esc_resource res ON res.id = r.esc_resource_id JOIN service_instance si ON si.id = res.service_instance_id
       WHERE r.status = 'Pending' AND r.sent_at IS NOT NULL ${tenantId ? Prisma.sql`AND si.tenant_id = ${tenantId}` : Prisma.empty}
       GROUP BY 1, 2`;
  }

}

/** The right to send a Pending request: who held it before, when the claim was taken from them. */
export type SendClaim = { claimed: true; tookOverFrom?: { worker: string | null; since: Date } } | { claimed: false };

/** A request claimed by a worker that is gone (or whose claim outlived any ESC timeout). */
export interface AbandonedSend {
  id: string;
  actionInstanceId: string;
  serviceInstanceId: string;
  sentAt: Date;

}
