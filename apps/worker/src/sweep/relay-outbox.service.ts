import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { OutboxRelay } from '@cam-esc/jobs';
import { MaintenanceCounterRepository } from '@cam-esc/persistence';

/** How often a worker looks for outbox rows their writer left behind. */
export const OUTBOX_WATCH_MS = 1_000;

/**
 * Queues the jobs a gateway committed but did not queue (it died after its commit, or the queue
 * store did not answer): every second, rows older than the writer's grace period. Several
 * workers share the rows (SKIP LOCKED), and a row relayed twice makes one job.
 */
@Injectable()
export class RelayOutboxService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RelayOutboxService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private failing = false;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly counters: MaintenanceCounterRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), OUTBOX_WATCH_MS);
    this.timer.unref();
  }

  private tick(): void {
    if (this.running) return; // one pass at a time
    this.running = this.relay
      .relayLeftBehind()
      .then(async (relayed) => {
        await this.counters.add('outbox_relayed', 'worker', relayed);
        if (this.failing) this.logger.log('the outbox is relayed again');
        this.failing = false;
      })
      .catch((e) => {
        // said once per outage, not every second
        if (!this.failing) this.logger.warn({ err: (e as Error).message }, 'could not relay the outbox (queue store or database away); trying every second');
        this.failing = true;
      })
      .finally(() => (this.running = undefined));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
