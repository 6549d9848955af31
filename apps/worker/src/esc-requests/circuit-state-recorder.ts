import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EscClient } from '@cam-esc/esc';
import { EscCircuitRepository } from '@cam-esc/persistence';
import { WorkerLiveness } from '../liveness/worker-liveness';

const REFRESH_MS = 30_000;

/**
 * Writes this worker's ESC circuits that open (and deletes them when they close) for the
 * gateway's /health and /metrics, and logs each change: an operator sees which ESC is failing
 * and since when.
 */
@Injectable()
export class CircuitStateRecorder implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CircuitStateRecorder.name);
  private timer?: NodeJS.Timeout;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly esc: EscClient,
    private readonly circuits: EscCircuitRepository,
    private readonly liveness: WorkerLiveness,
  ) {}

  private get workerId(): string {
    return this.liveness.id;
  }

  onModuleInit(): void {
    this.esc.circuits.onChange((change) => {
      const log = { connection: change.name, circuit: change.state };
      if (change.state === 'open') this.logger.warn(log, `ESC connection '${change.name}' is failing: circuit open, requests on it wait`);
      else this.logger.log(log, `ESC connection '${change.name}': circuit ${change.state === 'closed' ? 'closed, requests flow again' : 'half open, one trial request'}`);
      this.serially(() => this.circuits.record(this.workerId, change));
    });
    // the rows are made again from the breakers themselves, so that a write lost in a database blip heals
    this.timer = setInterval(() => this.serially(() => this.rewrite()), REFRESH_MS);
    this.timer.unref();
  }

  /** One write at a time, in the order of the changes (an open written after its close would stay). */
  private serially(write: () => Promise<void>): void {
    this.writes = this.writes.then(write).catch((e) => this.logger.warn({ err: (e as Error).message }, 'could not record the circuit state; the next refresh does'));
  }

  private async rewrite(): Promise<void> {
    const states = this.esc.circuits.states();
    await this.circuits.keepOnly(this.workerId, states.filter((s) => s.state !== 'closed').map((s) => s.key));
    for (const state of states) await this.circuits.record(this.workerId, state);
    await this.circuits.stillSeen(this.workerId);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.writes;
    await this.circuits.forget(this.workerId).catch(() => undefined);
  }
}
