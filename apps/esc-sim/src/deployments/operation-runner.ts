import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { abortableDelay, isAbortError } from '../common/abortable-delay';
import { SIM_CONFIG, SimConfig } from '../config/sim-config';

export interface OperationContext {
  readonly signal: AbortSignal;
  /** The configured pause between two callbacks; rejects if the simulator is reset or closed. */
  pause(): Promise<void>;
}

export type Operation = (context: OperationContext) => Promise<void>;

/**
 * Runs the asynchronous part of ESC operations (the callback sequences) in the background.
 * Operations on the same deployment run one after another; all of them can be aborted at once,
 * which is what reset and close() rely on so no timer outlives the simulator.
 */
@Injectable()
export class OperationRunner implements OnModuleDestroy {
  private controller = new AbortController();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    @Inject(SIM_CONFIG) private readonly config: SimConfig,
    @InjectPinoLogger(OperationRunner.name) private readonly logger: PinoLogger,
  ) {}

  enqueue(key: string, description: string, operation: Operation): void {
    const { signal } = this.controller;
    const context: OperationContext = {
      signal,
      pause: () => abortableDelay(this.config.callbackDelayMs, signal),
    };
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => (signal.aborted ? undefined : operation(context)))
      .catch((error: unknown) => {
        if (isAbortError(error)) return;
        this.logger.error({ err: error, key }, `${description} failed inside the simulator`);
      });
    this.queues.set(key, next);
    this.running.add(next);
    void next.finally(() => {
      this.running.delete(next);
      if (this.queues.get(key) === next) this.queues.delete(key);
    });
  }

  /** True while an operation on this key is running or waiting its turn. */
  isBusy(key: string): boolean {
    return this.queues.has(key);
  }

  /** Stops every pending operation and waits until they have all returned. */
  async abortAll(): Promise<void> {
    this.controller.abort();
    this.controller = new AbortController();
    this.queues.clear();
    await Promise.allSettled([...this.running]);
  }

  async onModuleDestroy(): Promise<void> {
    await this.abortAll();
  }
}
