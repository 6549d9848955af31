import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { ActionStatus, CallbackOutcome, EscRequestStatus } from '@cam-esc/instances';
import { advanceBatchJob, JobName, JobQueue, QueueStoreHeartbeat } from '@cam-esc/jobs';
import { BatchRepository, IdempotencyKeyRepository, InstanceEventRepository, MaintenanceCounterRepository, PrismaService, ServiceVersionRepository } from '@cam-esc/persistence';

/** How long live progress events are kept for a stream to resume from (GET …/events with Last-Event-ID). */
export const EVENT_RETENTION_MS = 7 * 24 * 3600_000;

/** How often a worker checks that the queue store still has its data. */
export const STORE_WATCH_MS = 5_000;

/** How often the workers look for work that lost its job. */
export const SWEEP_INTERVAL_MS = 5 * 60_000;

/**
 * Re-enqueues what a crash, a queue-store outage or a job that failed for good may have left
 * behind: callbacks stored but not applied, running actions (whose next step may never have been
 * queued) and the overdue checks of requests ESC accepted. At start-up it takes everything; then,
 * every SWEEP_INTERVAL_MS (a job scheduler, so one sweep however many workers run), what has been
 * quiet for a while. All these jobs are idempotent.
 */
@Injectable()
export class ResumeInFlightService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ResumeInFlightService.name);
  private watch?: NodeJS.Timeout;

  constructor(
    private readonly prisma: PrismaService,
    private readonly versions: ServiceVersionRepository,
    private readonly events: InstanceEventRepository,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
    private readonly heartbeat: QueueStoreHeartbeat,
    private readonly counters: MaintenanceCounterRepository,
    private readonly idempotencyKeys: IdempotencyKeyRepository,
    private readonly batches: BatchRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.heartbeat.check();
    await this.sweep(`boot-${Date.now().toString(36)}`, new Date(), new Date(), this.config.escCallbackTimeoutMs);
    await this.jobs.schedule(JobName.SweepInFlight, {}, SWEEP_INTERVAL_MS);
    this.watch = setInterval(() => void this.watchStore().catch((e) => this.logger.warn({ err: (e as Error).message }, 'watching the queue store failed')), STORE_WATCH_MS);
    this.watch.unref();
  }

  /** The scheduled sweep: what has been quiet for two minutes, and checks overdue twice over; live progress events past their week, Idempotency-Keys past their day. */
  async sweepQuiet(): Promise<void> {
    await this.sweep(`sweep-${Date.now().toString(36)}`, new Date(Date.now() - 2 * 60_000), new Date(Date.now() - 2 * this.config.escCallbackTimeoutMs));
    const pruned = await this.events.prune(new Date(Date.now() - EVENT_RETENTION_MS));
    if (pruned > 0) this.logger.log({ pruned }, 'live progress events older than a week dropped (the action logs keep the history)');
    await this.idempotencyKeys.pruneExpired();
    // batch submissions whose gateway died mid-upload
    const dropped = await this.batches.dropStaleValidating(new Date(Date.now() - 3600_000));
    if (dropped > 0) this.logger.warn({ dropped }, 'batch submissions left unfinished for an hour (their gateway stopped mid-upload) dropped, with their instances that never ran');
  }

  /** Versions with a retire date: their delayed jobs (idempotent ids), in pages. */
  private async reenqueueRetirements(): Promise<number> {
    let after: string | undefined;
    let n = 0;
    for (;;) {
      const page = await this.versions.dueForRetirement(after, 500);
      for (const v of page) {
        try {
          // retryFailed: a job that failed for good (a database blip at midnight) runs again
          await this.jobs.enqueue(JobName.RetireVersion, { serviceVersionId: v.id, retireOn: v.retireOn!.toISOString() }, { delayMs: Math.max(0, v.retireOn!.getTime() - Date.now()), retryFailed: true });
        } catch (e) {
          this.logger.error({ serviceVersionId: v.id, err: (e as Error).message }, 'could not schedule the retirement of a version; the next sweep tries again');
        }
      }
      n += page.length;
      if (page.length < 500) return n;
      after = page[page.length - 1].id;
    }
  }

  private async sweep(round: string, quietSince: Date, acceptedBefore: Date = quietSince, checkDelayMs = 0): Promise<void> {
    // in pages: a sweep holds at any number of instances
    const callbacks = await inPages(
      (after) => this.prisma.escCallback.findMany({ where: { outcome: CallbackOutcome.Received, receivedAt: { lte: quietSince }, ...(after ? { id: { gt: after } } : {}) }, select: { id: true }, orderBy: { id: 'asc' }, take: PAGE }),
      (c) => this.jobs.enqueue(JobName.ApplyEscCallback, { callbackId: c.id }, { retryFailed: true }),
    );
    const actions = await inPages(
      (after) =>
        this.prisma.actionInstance.findMany({
          where: { status: { in: [ActionStatus.Submitted, ActionStatus.InProgress] }, updatedAt: { lte: quietSince }, ...(after ? { id: { gt: after } } : {}) },
          select: { id: true, serviceInstanceId: true },
          orderBy: { id: 'asc' },
          take: PAGE,
        }),
      (a) => this.jobs.enqueue(JobName.RunAction, { actionInstanceId: a.id, serviceInstanceId: a.serviceInstanceId, trigger: round }),
    );
    const accepted = await inPages(
      (after) =>
        this.prisma.escRequest.findMany({
          where: { status: EscRequestStatus.Accepted, sentAt: { lte: acceptedBefore }, ...(after ? { id: { gt: after } } : {}) },
          select: { id: true, escResource: { select: { serviceInstanceId: true } } },
          orderBy: { id: 'asc' },
          take: PAGE,
        }),
      (r) => this.jobs.enqueue(JobName.ReconcileEscRequest, { escRequestId: r.id, serviceInstanceId: r.escResource.serviceInstanceId, round, check: 1 }, { delayMs: checkDelayMs }),
    );
    const retirements = await this.reenqueueRetirements();
    const batches = await inPages(
      (after) => this.batches.running(after, PAGE),
      (b) => {
        const job = advanceBatchJob(b.id);
        return this.jobs.enqueue(JobName.AdvanceBatch, job.payload, { delayMs: job.delayMs });
      },
    );
    await this.counters.add('sweeps', round.replace(/-[0-9a-z]+$/, ''));
    for (const [what, n] of Object.entries({ actions, callbacks, overdue_checks: accepted, retirements, batches })) await this.counters.add('sweep_requeued', what, n);
    if (callbacks || actions || accepted || retirements || batches) {
      this.logger.log(`${round}: re-enqueued ${actions} running action(s), ${callbacks} unapplied callback(s), ${accepted} overdue check(s), ${retirements} retire date(s), ${batches} running batch(es)`);
    }
  }

  /**
   * Every few seconds: has the queue store lost its data (Redis restarted empty)? Then every job in
   * it is made again from PostgreSQL at once (as at a start), not at the next sweep.
   */
  private async watchStore(): Promise<void> {
    if ((await this.heartbeat.check()) !== 'lost') return;
    this.logger.warn('the queue store lost its data (Redis restarted empty or was flushed): making every in-flight job again');
    await this.sweep(`store-lost-${Date.now().toString(36)}`, new Date(), new Date(), this.config.escCallbackTimeoutMs);
    await this.jobs.schedule(JobName.SweepInFlight, {}, SWEEP_INTERVAL_MS);
  }

  onModuleDestroy(): void {
    if (this.watch) clearInterval(this.watch);
  }
}

const PAGE = 500;

/** Reads rows page by page (by id) and handles each; returns how many there were. */
async function inPages<T extends { id: string }>(page: (after: string | undefined) => Promise<T[]>, handle: (row: T) => Promise<unknown>): Promise<number> {
  let after: string | undefined;
  let n = 0;
  for (;;) {
    const rows = await page(after);
    for (const row of rows) await handle(row);
    n += rows.length;
    if (rows.length < PAGE) return n;
    after = rows[rows.length - 1].id;
  }
}
