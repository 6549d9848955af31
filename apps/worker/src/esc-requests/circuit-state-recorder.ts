import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CircuitChange, EscClient } from '@cam-esc/esc';
import { EscCircuitRepository } from '@cam-esc/persistence';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

const REFRESH_MS = 30_000;

/**
 * Writes this worker's ESC circuits that open (and deletes them when they close) for the
 * gateway's /health and /metrics, and logs each change: an operator sees which ESC is failing
 * and since when.
 */
@Injectable()
export class CircuitStateRecorder implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CircuitStateRecorder.name);
  private readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly esc: EscClient,
    private readonly circuits: EscCircuitRepository,
  ) {}

  onModuleInit(): void {
    this.esc.circuits.onChange((change) => void this.record(change));
    this.timer = setInterval(() => void this.circuits.stillSeen(this.workerId).catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  private async record(change: CircuitChange): Promise<void> {
    const log = { connection: change.name, circuit: change.state };
    if (change.state === 'open') this.logger.warn(log, `ESC connection '${change.name}' is failing: circuit open, requests on it wait`);
    else this.logger.log(log, `ESC connection '${change.name}': circuit ${change.state === 'closed' ? 'closed, requests flow again' : 'half open, one trial request'}`);
    try {
      await this.circuits.record(this.workerId, change);
    } catch (e) {
      this.logger.warn({ ...log, err: (e as Error).message }, 'could not record the circuit state');
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.circuits.forget(this.workerId).catch(() => undefined);
  }
}
