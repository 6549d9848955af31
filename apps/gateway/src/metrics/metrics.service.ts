import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { CallbackOutcome } from '@cam-esc/instances';
import { jobCounts, QueueName } from '@cam-esc/jobs';
import { AppConfig } from '@cam-esc/config';
import { EscCircuitRepository, EscRequestRepository, JobOutboxRepository, MaintenanceCounterRepository, PrismaService } from '@cam-esc/persistence';
import { registerReliabilityMetrics } from './reliability.metrics';
import { registerBatchMetrics } from './batch.metrics';
import { registerConnectionMetrics } from './connection.metrics';
import { Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/**
 * Prometheus metrics, read from the source of truth at scrape time: instances by status, ESC
 * requests by status, callbacks not yet applied, and queue depths. A registry of its own, so two
 * gateways in one process (tests) do not clash.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  /** Callbacks refused by this gateway process (their token names no request), by reason. */
  readonly callbacksRefused: Counter<'reason'>;
  /** Calls this gateway process refused with a 429, by the limit they reached. */
  readonly rateLimited: Counter<'limit'>;

  constructor(
    prisma: PrismaService,
    circuits: EscCircuitRepository,
    outbox: JobOutboxRepository,
    maintenance: MaintenanceCounterRepository,
    requests: EscRequestRepository,
    config: AppConfig,
    @InjectQueue(QueueName.Flow) flow: Queue,
    @InjectQueue(QueueName.EscCallbacks) callbacks: Queue,
    @InjectQueue(QueueName.Catalog) catalog: Queue,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'cam_esc_gateway_' });
    this.callbacksRefused = new Counter({ name: 'cam_esc_callbacks_refused_total', help: 'ESC callbacks this gateway refused, by reason (unknown_token: the token in the path names no request)', labelNames: ['reason'], registers: [this.registry] });
    this.rateLimited = new Counter({ name: 'cam_esc_rate_limited_total', help: 'Calls this gateway refused with a 429, by the rate limit they reached (token, tenant, callbacks)', labelNames: ['limit'], registers: [this.registry] });
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
    type Resends = Array<{ connection: string; waiting: number; resends: number }>;
    const resends = () =>
      prisma.$queryRaw<Resends>`
        SELECT r.connection_name AS connection,
               count(*) FILTER (WHERE q.status = 'Pending' AND q.send_attempts > 0)::int AS waiting,
               coalesce(sum(q.send_attempts), 0)::int AS resends
        FROM esc_request q JOIN esc_resource r ON r.id = q.esc_resource_id
        WHERE q.send_attempts > 0
        GROUP BY r.connection_name`;
    new Gauge({
      name: 'cam_esc_esc_resends',
      help: 'Times a request ESC could not take (unreachable, 5xx, 429, 408) was sent again, by ESC connection',
      labelNames: ['connection'],
      registers,
      collect: async function (this: Gauge) {
        this.reset();
        for (const r of await resends()) this.set({ connection: r.connection }, r.resends);
      },
    });
    new Gauge({
      name: 'cam_esc_esc_requests_waiting_to_resend',
      help: 'Requests ESC could not take, waiting for their next attempt, by ESC connection',
      labelNames: ['connection'],
      registers,
      collect: async function (this: Gauge) {
        this.reset();
        for (const r of await resends()) this.set({ connection: r.connection }, r.waiting);
      },
    });
    type CallbackCount = Array<{ channel: string; stage: string; outcome: string; n: number }>;
    new Gauge({
      name: 'cam_esc_callbacks',
      help: 'ESC callbacks stored, by URL (request or events), stage and what the worker made of them (Applied, Duplicate, Ignored, Unmatched, Received: not yet applied)',
      labelNames: ['channel', 'stage', 'outcome'],
      registers,
      collect: async function (this: Gauge) {
        this.reset();
        // a stage that is not ESC's kind of name (anyone holding a token may post anything) is counted as other
        const rows = await prisma.$queryRaw<CallbackCount>`
          SELECT channel, CASE WHEN stage ~ '^[A-Z_]{1,48}$' THEN stage ELSE 'other' END AS stage, outcome, count(*)::int AS n
          FROM esc_callback GROUP BY 1, 2, 3`;
        for (const r of rows) this.set({ channel: r.channel, stage: r.stage, outcome: r.outcome }, r.n);
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
          // the queue store away must not hang a scrape: its depths are then left out (cam_esc_outbox_jobs says what waits)
          const counts = await jobCounts(q);
          if (!counts) return;
          for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
        }
      },
    });
    registerReliabilityMetrics(this.registry, prisma, circuits, outbox, maintenance);
    registerBatchMetrics(this.registry, prisma);
    registerConnectionMetrics(this.registry, prisma, requests, config.esc);
  }
}
