import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { abortableDelay, isAbortError } from '../common/abortable-delay';
import { AnswerFault } from '../common/esc-request';
import { SIM_CONFIG, SimConfig } from '../config/sim-config';

export interface OperationContext {
  readonly signal: AbortSignal;
  /** The configured pause before a callback; rejects if the simulator is reset or closed. */
  pause(): Promise<void>;
}

export type Operation = (context: OperationContext) => Promise<void>;

/** One accepted POST/PUT/DELETE: where its callbacks go and how they are tagged. */
export interface OperationRequest {
  transactionId: string;
  callbackUrl?: string;
  /** From a fault rule: the final callback reports this failure instead of success. */
  failure?: { statusCode: number; message: string };
  /** From a fault rule: the operation runs, but none of its callbacks are sent. */
  silent?: boolean;
  /** From a fault rule: the synchronous answer is late or lost (see AcceptedRequestInterceptor). */
  answer?: AnswerFault;
}

/**
 * Runs the asynchronous part of ESC operations (the callback sequences) in the background.
 * Operations on the same key (a deployment, a resource) run one after another; all of them can
 * be aborted at once, which is what reset and close() rely on so that no timer outlives the simulator.
 */
@Injectable()
export class OperationRunner implements OnModuleDestroy {
  private readonly queues = new Map<string, Promise<void>>();
  /** One controller per operation, so a busy simulator does not pile listeners on a shared signal. */
  private readonly pending = new Map<Promise<void>, AbortController>();

  constructor(
    @Inject(SIM_CONFIG) private readonly config: SimConfig,
    @InjectPinoLogger(OperationRunner.name) private readonly logger: PinoLogger,
  ) {}

  enqueue(key: string, description: string, operation: Operation): void {
    const controller = new AbortController();
    const { signal } = controller;
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
      })
      .finally(() => {
        this.pending.delete(next);
        if (this.queues.get(key) === next) this.queues.delete(key);
      });
    this.queues.set(key, next);
    this.pending.set(next, controller);
  }

  /** True while an operation on this key is running or waiting its turn. */
  isBusy(key: string): boolean {
    return this.queues.has(key);
  }

  /** Stops every pending operation and waits until they have all returned. */
  async abortAll(): Promise<void> {
    const operations = [...this.pending.entries()];
    this.queues.clear();
    operations.forEach(([, controller]) => controller.abort());
    await Promise.allSettled(operations.map(([operation]) => operation));
  }

  async onModuleDestroy(): Promise<void> {
    await this.abortAll();
  }
}
