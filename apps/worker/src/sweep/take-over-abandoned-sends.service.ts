import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { JobName, JobQueue } from '@cam-esc/jobs';
import { EscRequestRepository } from '@cam-esc/persistence';

/** How often a worker looks for sends whose worker died. */
export const ABANDONED_WATCH_MS = 3_000;

/** Claims written before workers were named (no sent_by) are taken over after this long. */
const UNNAMED_CLAIM_LEASE_MS = 10 * 60_000;

const PAGE = 200;

/**
 * A worker killed while it sent an ESC request leaves the request claimed, and its job locked in
 * the queue until BullMQ sees it stalled. Every few seconds this queues a run of each such
 * action (its own job id: the stalled one does not stand in its way); the run takes the claim
 * over, asks ESC whether the request got there, and goes on from what ESC says.
 */
@Injectable()
export class TakeOverAbandonedSendsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TakeOverAbandonedSendsService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly requests: EscRequestRepository,
    private readonly jobs: JobQueue,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.pass()
        .catch((e) => this.logger.warn({ err: (e as Error).message }, 'could not look for abandoned sends; trying again'))
        .finally(() => (this.running = undefined));
    }, ABANDONED_WATCH_MS);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    const abandoned = await this.requests.abandonedSends(UNNAMED_CLAIM_LEASE_MS, PAGE);
    for (const r of abandoned) {
      this.logger.warn({ escRequestId: r.id, serviceInstanceId: r.serviceInstanceId }, 'the worker sending an ESC request is gone; its action runs on elsewhere');
      // one job per abandoned claim (its time names it): several workers seeing it queue one run
      await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: r.actionInstanceId, serviceInstanceId: r.serviceInstanceId, trigger: `takeover.${r.id}.${r.sentAt.getTime()}` });
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
