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
    private readonly prisma: PrismaService,
    @InjectQueue(QueueName.Flow) flow: Queue,
    @InjectQueue(QueueName.EscCallbacks) callbacks: Queue,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'cam_esc_gateway_' });
    const registers = [this.registry];
    new Gauge({
      name: 'cam_esc_service_instances',
      help: 'Service instances by Status',
      labelNames: ['status'],
      registers,
      collect: async function (this: Gauge) {
        this.reset();
        const rows = await prisma.serviceInstance.groupBy({ by: ['status'], _count: { _all: true } });
        for (const r of rows) this.set({ status: r.status }, r._count._all);
      },
    });
    new Gauge({
      name: 'cam_esc_esc_requests',
      help: 'Requests sent to ESC by status (Pending: not yet answered; Accepted: waiting for the final callback)',
      labelNames: ['status'],
      registers,
      collect: async function (this: Gauge) {
        this.reset();
        const rows = await prisma.escRequest.groupBy({ by: ['status'], _count: { _all: true } });
        for (const r of rows) this.set({ status: r.status }, r._count._all);
      },
    });
    new Gauge({
      name: 'cam_esc_callbacks_unapplied',
      help: 'ESC callbacks stored but not yet applied by the worker',
      registers,
      collect: async function (this: Gauge) {
        this.set(await prisma.escCallback.count({ where: { outcome: CallbackOutcome.Received } }));
      },
    });
    const queues = [flow, callbacks];
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
