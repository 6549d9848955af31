import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

export interface ActivityBucket {
  /** The start of the bucket. */
  at: Date;
  /** Provisions asked for in it (a batch's are asked for when it is submitted). */
  deploys: number;
  /** Actions that ended Failed in it. */
  failures: number;
}

export interface ConnectionActivity {
  connection: string;
  /** Its identity, as its circuit is recorded by (esc_circuit.connection_key): the record id, `default` for ESC_URL's. */
  key: string;
  /** Requests sent on it since the time asked for, and those of them that failed. */
  requests: number;
  failed: number;
  /** Requests being sent on it now. */
  inFlight: number;
}

/** What the operator console's overview reads of one tenant: counts, recent activity, the traffic to each ESC connection. */
@Injectable()
export class OperationsOverviewRepository {
  constructor(private readonly prisma: PrismaService) {}

  instancesByStatus(tenantId: string): Promise<Array<{ status: string; n: number }>> {
    return this.prisma.$queryRaw`SELECT status, count(*)::int AS n FROM service_instance WHERE tenant_id = ${tenantId} GROUP BY status ORDER BY status`;
  }

  /** Every tenant's instances by status, and its actions running now and failed since `since` (the operations tenant's view). */
  async byTenant(since: Date): Promise<Array<{ tenantId: string; status: string; n: number; running: number; failed: number }>> {
    return this.prisma.$queryRaw`
      WITH s AS (SELECT tenant_id, status, count(*)::int AS n FROM service_instance GROUP BY tenant_id, status),
           a AS (SELECT si.tenant_id,
                        count(*) FILTER (WHERE ai.status IN ('Submitted', 'In_Progress'))::int AS running,
                        count(*) FILTER (WHERE ai.status = 'Failed' AND ai.finished_at >= ${since})::int AS failed
                   FROM action_instance ai JOIN service_instance si ON si.id = ai.service_instance_id
                  WHERE ai.status IN ('Submitted', 'In_Progress') OR (ai.status = 'Failed' AND ai.finished_at >= ${since})
                  GROUP BY si.tenant_id)
      SELECT s.tenant_id AS "tenantId", s.status, s.n, COALESCE(a.running, 0)::int AS running, COALESCE(a.failed, 0)::int AS failed
        FROM s LEFT JOIN a ON a.tenant_id = s.tenant_id
       ORDER BY s.tenant_id, s.status`;
  }

  /** Actions running now, those waiting for their batch's turn, and those that failed since `since`. */
  async actionCounts(tenantId: string, since: Date): Promise<{ running: number; queued: number; failed: number }> {
    const [row] = await this.prisma.$queryRaw<Array<{ running: number; queued: number; failed: number }>>`
      SELECT count(*) FILTER (WHERE ai.status IN ('Submitted', 'In_Progress'))::int AS running,
             count(*) FILTER (WHERE ai.status = 'Queued')::int AS queued,
             count(*) FILTER (WHERE ai.status = 'Failed' AND ai.finished_at >= ${since})::int AS failed
        FROM action_instance ai JOIN service_instance si ON si.id = ai.service_instance_id
       WHERE si.tenant_id = ${tenantId} AND (ai.status IN ('Queued', 'Submitted', 'In_Progress') OR ai.finished_at >= ${since})`;
    return row ?? { running: 0, queued: 0, failed: 0 };
  }

  /** Provisions asked for and actions failed, per bucket of `bucketMinutes` since `since` (buckets without any are left out). */
  activity(tenantId: string, since: Date, bucketMinutes: number): Promise<ActivityBucket[]> {
    const seconds = bucketMinutes * 60;
    return this.prisma.$queryRaw`
      SELECT to_timestamp(floor(extract(epoch FROM t) / ${seconds}) * ${seconds}) AS at,
             count(*) FILTER (WHERE kind = 'deploy')::int AS deploys,
             count(*) FILTER (WHERE kind = 'failure')::int AS failures
        FROM (SELECT ai.created_at AS t, 'deploy' AS kind
                FROM action_instance ai JOIN service_instance si ON si.id = ai.service_instance_id
               WHERE si.tenant_id = ${tenantId} AND ai.type = 'provision' AND ai.created_at >= ${since}
              UNION ALL
              SELECT ai.finished_at, 'failure'
                FROM action_instance ai JOIN service_instance si ON si.id = ai.service_instance_id
               WHERE si.tenant_id = ${tenantId} AND ai.status = 'Failed' AND ai.finished_at >= ${since}) e
       GROUP BY 1 ORDER BY 1`;
  }

  /** Requests sent to each ESC connection for the tenant's instances since `since`, failed ones, and those in flight now. */
  connectionActivity(tenantId: string, since: Date): Promise<ConnectionActivity[]> {
    return this.prisma.$queryRaw`
      SELECT res.connection_name AS connection, COALESCE(c.id::text, 'default') AS key,
             count(*) FILTER (WHERE r.sent_at >= ${since})::int AS requests,
             count(*) FILTER (WHERE r.sent_at >= ${since} AND r.status = 'Failed')::int AS failed,
             count(*) FILTER (WHERE r.status = 'Pending' AND r.sent_at IS NOT NULL)::int AS "inFlight"
        FROM esc_request r JOIN esc_resource res ON res.id = r.esc_resource_id JOIN service_instance si ON si.id = res.service_instance_id
        LEFT JOIN esc_connection c ON c.tenant_id = si.tenant_id AND c.name = res.connection_name
       WHERE si.tenant_id = ${tenantId} AND (r.sent_at >= ${since} OR r.status = 'Pending')
       GROUP BY 1, 2 ORDER BY 1`;
  }
}
