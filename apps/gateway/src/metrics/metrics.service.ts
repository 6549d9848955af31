import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { CallbackOutcome } from '@cam-esc/instances';
import { QueueName } from '@cam-esc/jobs';
import { PrismaService } from '@cam-esc/persistence';
import { Queue } from 'bullmq';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/**
 * Prometheus metrics, read from the source of truth at scrape time: instances by status, ESC
 * requests by status, callbacks not yet applied, and queue depths. A registry of its own, so two
 * gateways in one process (tests) do not clash.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor(
    prisma: PrismaService,
    @InjectQueue(QueueName.Flow) flow: Queue,
    @InjectQueue(QueueName.EscCallbacks) callbacks: Queue,
    @InjectQueue(QueueName.Catalog) catalog: Queue,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'cam_esc_gateway_' });
    const registers = [this.registry];
    type StatusCount = Array<{ status: string; n: number }>;
    const byStatus = (name: string, help: string, count: () => Promise<StatusCount>) =>
      new Gauge({
        name,
        help,
        labelNames: ['status'],
        registers,
        collect: async function (this: Gauge) {
          this.reset();
          for (const r of await count()) this.set({ status: r.status }, r.n);
        },
      });
    byStatus('cam_esc_service_instances', 'Service instances by Status', () => prisma.$queryRaw<StatusCount>`SELECT status, count(*)::int AS n FROM service_instance GROUP BY status`);
    byStatus(
      'cam_esc_esc_requests',
      'Requests sent to ESC by status (Pending: not yet answered; Accepted: waiting for the final callback)',
      () => prisma.$queryRaw<StatusCount>`SELECT status, count(*)::int AS n FROM esc_request GROUP BY status`,
    );
    new Gauge({
      name: 'cam_esc_callbacks_unapplied',
      help: 'ESC callbacks stored but not yet applied by the worker',
      registers,
      collect: async function (this: Gauge) {
        this.set(await prisma.escCallback.count({ where: { outcome: CallbackOutcome.Received } }));
      },
    });
    const queues = [flow, callbacks, catalog];
    new Gauge({
      name: 'cam_esc_queue_jobs',
      help: 'BullMQ jobs by queue and state',
      labelNames: ['queue', 'state'],
      registers,
      collect: async function (this: Gauge) {
        this.reset();
        for (const q of queues) {
          const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
          for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
        }
      },
    });
  }
}
