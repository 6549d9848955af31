import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { ActionStatus, CallbackOutcome, EscRequestStatus } from '@cam-esc/instances';
import { JobName, JobQueue } from '@cam-esc/jobs';
import { PrismaService } from '@cam-esc/persistence';

/**
 * At start-up, re-enqueues what a crash or a Redis outage may have left behind: callbacks stored
 * but not applied, running actions (whose next step may never have been queued), and the overdue
 * checks of requests ESC accepted. All these jobs are idempotent, so enqueueing something that was in fact fine does no harm.
 */
@Injectable()
export class ResumeInFlightService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ResumeInFlightService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const boot = Date.now().toString(36);
    const callbacks = await this.prisma.escCallback.findMany({ where: { outcome: CallbackOutcome.Received }, select: { id: true } });
    for (const c of callbacks) await this.jobs.enqueue(JobName.ApplyEscCallback, { callbackId: c.id }, { retryFailed: true });
    const actions = await this.prisma.actionInstance.findMany({
      where: { status: { in: [ActionStatus.Submitted, ActionStatus.InProgress] } },
      select: { id: true, serviceInstanceId: true },
    });
    for (const a of actions) await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: a.id, serviceInstanceId: a.serviceInstanceId, trigger: `resume-${boot}` });
    // requests ESC accepted: their overdue checks may have been lost with Redis, or failed for good
    const accepted = await this.prisma.escRequest.findMany({ where: { status: EscRequestStatus.Accepted }, select: { id: true, escResource: { select: { serviceInstanceId: true } } } });
    for (const r of accepted) {
      await this.jobs.enqueue(JobName.ReconcileEscRequest, { escRequestId: r.id, serviceInstanceId: r.escResource.serviceInstanceId, round: `resume-${boot}`, check: 1 }, { delayMs: this.config.escCallbackTimeoutMs, retryFailed: true });
    }
    if (callbacks.length || actions.length) this.logger.log(`resumed ${actions.length} running action(s) and ${callbacks.length} unapplied callback(s)`);
  }
}
