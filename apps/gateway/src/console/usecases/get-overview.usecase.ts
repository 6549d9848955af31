import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { jobCounts, QueueName } from '@cam-esc/jobs';
import { AppConfig } from '@cam-esc/config';
import { EscCircuitRepository, OperationsOverviewRepository } from '@cam-esc/persistence';
import { Queue } from 'bullmq';
import { MetricsService } from '../../metrics/metrics.service';

/** The chart's reach and resolution. */
export const ACTIVITY_HOURS = 3;
const BUCKET_MINUTES = 1;
/** The window of each connection's error rate. */
const CONNECTION_WINDOW_MINUTES = 15;

/**
 * The console's overview of a tenant: instances by status, actions running, queued and failed in
 * the last 24 hours, each ESC connection's health (circuit, requests in flight, error rate), and
 * deploys and failures per minute over the last hours; for an admin also the gateway's queue
 * depths and the callbacks this process refused (every tenant's), and for an admin of the
 * operations tenant (OPERATIONS_TENANT) every tenant's instances and actions. From the gateway's own data
 * (PostgreSQL, the queues, this process's counters), not from Prometheus.
 */
@Injectable()
export class GetOverviewUseCase {
  private readonly queues: Queue[];

  constructor(
    private readonly overview: OperationsOverviewRepository,
    private readonly circuits: EscCircuitRepository,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Flow) flow: Queue,
    @InjectQueue(QueueName.EscCallbacks) callbacks: Queue,
    @InjectQueue(QueueName.Catalog) catalog: Queue,
  ) {
    this.queues = [flow, callbacks, catalog];
  }

  /** `gatewayWide`: the caller may see the figures of the whole gateway (every tenant's jobs, callbacks refused): an admin. */
  async execute(tenantId: string, gatewayWide: boolean) {
    const now = Date.now();
    const day = new Date(now - 24 * 3600_000);
    const everyTenant = gatewayWide && this.config.operationsTenant === tenantId;
    const [statuses, actions, activity, connections, circuits, queues, refused, tenants] = await Promise.all([
      this.overview.instancesByStatus(tenantId),
      this.overview.actionCounts(tenantId, day),
      this.overview.activity(tenantId, new Date(now - ACTIVITY_HOURS * 3600_000), BUCKET_MINUTES),
      this.overview.connectionActivity(tenantId, new Date(now - CONNECTION_WINDOW_MINUTES * 60_000)),
      this.circuits.current(),
      gatewayWide ? this.queueDepths() : null,
      gatewayWide ? this.metrics.callbacksRefused.get() : null,
      everyTenant ? this.overview.byTenant(day) : null,
    ]);
    return {
      at: new Date(now).toISOString(),
      instances: Object.fromEntries(statuses.map((s) => [s.status, s.n])),
      actions: { running: actions.running, queued: actions.queued, failed_24h: actions.failed },
      connections: connections.map((c) => {
        // by identity: two tenants may each have a connection of the same name
        const open = circuits.filter((k) => k.connectionKey === c.key);
        return {
          name: c.connection,
          circuit: open.some((k) => k.state === 'open') ? 'open' : open.length ? 'half-open' : 'closed',
          in_flight: c.inFlight,
          requests_15m: c.requests,
          error_rate_15m: c.requests ? Math.round((c.failed / c.requests) * 1000) / 1000 : 0,
        };
      }),
      queues,
      callbacks_refused: refused ? refused.values.reduce((sum, v) => sum + v.value, 0) : null,
      tenants: tenants ? perTenant(tenants) : null,
      activity: { bucket_minutes: BUCKET_MINUTES, hours: ACTIVITY_HOURS, buckets: activity.map((b) => ({ at: b.at.toISOString(), deploys: b.deploys, failures: b.failures })) },
    };
  }

  /** Jobs by queue and state; a queue store that does not answer within a second is left out (null). */
  private queueDepths() {
    return Promise.all(this.queues.map(async (q) => ({ name: q.name, counts: await jobCounts(q) })));
  }
}

/** The rows of byTenant (one per tenant and status) as one entry per tenant. */
function perTenant(rows: Array<{ tenantId: string; status: string; n: number; running: number; failed: number }>) {
  const byTenant = new Map<string, { tenant_id: string; instances: Record<string, number>; running: number; failed_24h: number }>();
  for (const r of rows) {
    const entry = byTenant.get(r.tenantId) ?? { tenant_id: r.tenantId, instances: {}, running: r.running, failed_24h: r.failed };
    entry.instances[r.status] = r.n;
    byTenant.set(r.tenantId, entry);
  }
  return [...byTenant.values()];
}
