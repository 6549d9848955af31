import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EscClient } from '@cam-esc/esc';
import { WORKER_BEAT_MS, WORKER_FRESH_MS, WorkerProcessRepository } from '@cam-esc/persistence';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This worker process's name (host:pid:random) and its beat in worker_process: every
 * WORKER_BEAT_MS it says it is alive. The sends it claims carry its name, so that another worker
 * takes them over within seconds of its death, and never while it lives. The count of live workers
 * sizes this worker's share of each ESC connection's max_in_flight.
 */
@Injectable()
export class WorkerLiveness implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WorkerLiveness.name);
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private timer?: NodeJS.Timeout;
  private beating?: Promise<void>;
  private failing = false;
  /** When a beat was last written (this process's clock). */
  private lastBeatAt = 0;

  constructor(
    private readonly workers: WorkerProcessRepository,
    private readonly esc: EscClient,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ready();
    this.timer = setInterval(() => void this.beat(), WORKER_BEAT_MS);
    this.timer.unref();
    void this.workers.pruneGone().catch(() => undefined);
  }

  /**
   * Whether this worker may send now: its last beat is recent enough that nobody takes it for gone
   * during the send. Waits for the first beat (the queues may start taking jobs before this
   * provider's onModuleInit).
   */
  async mayClaim(): Promise<boolean> {
    if (this.lastBeatAt === 0) await this.ready();
    return Date.now() - this.lastBeatAt < WORKER_FRESH_MS;
  }

  private async ready(): Promise<void> {
    if (this.lastBeatAt === 0) await this.beat();
  }

  private beat(): Promise<void> {
    this.beating ??= this.workers
      .beat(this.id, hostname(), process.pid)
      .then(async () => {
        this.lastBeatAt = Date.now();
        // the live workers split each ESC connection's max_in_flight between them
        await this.workers.liveCount().then((n) => this.esc.shareInFlightAmong(n), () => undefined);
        if (this.failing) this.logger.log({ workerId: this.id }, 'the worker beat is written again; it claims sends again');
        this.failing = false;
      })
      .catch((e) => {
        // said once per outage; meanwhile this worker starts no send (claims need a recent beat)
        if (!this.failing) this.logger.warn({ workerId: this.id, err: (e as Error).message }, 'could not write the worker beat; no ESC request is sent from here until it is');
        this.failing = true;
      })
      .finally(() => (this.beating = undefined));
    return this.beating;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.beating;
    // stopped cleanly (its jobs drained): nothing of it is left to take over
    await this.workers.forget(this.id).catch(() => undefined);
  }
}
