import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Agent, request } from 'undici';
import { abortableDelay } from '../common/abortable-delay';
import { SIM_CONFIG, SimConfig } from '../config/sim-config';
import { CallbackLog, SentCallback } from './callback-log';

export interface EscCallback {
  url: string;
  /** Absent for events ESC sends on its own (VM_DOWN...): they answer no request. */
  transactionId?: string;
  statusCode: number;
  statusMessage: string;
  /** XML document. */
  body: string;
}

/** Where the callbacks of an operation go and how they are tagged (an OperationRequest is one). */
export interface CallbackTarget {
  callbackUrl?: string;
  transactionId?: string;
  silent?: boolean;
}

/**
 * POSTs ESC callbacks the way the reference shows them. A failed delivery (no connection,
 * timeout, non-2xx answer) is retried with a doubling backoff, then logged and given up:
 * it never throws, so a broken receiver cannot stop an operation or the process.
 */
@Injectable()
export class CallbackSender implements OnApplicationShutdown {
  private readonly agent = new Agent({ keepAliveTimeout: 1_000 });

  constructor(
    @Inject(SIM_CONFIG) private readonly config: SimConfig,
    private readonly log: CallbackLog,
    @InjectPinoLogger(CallbackSender.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * One callback of an accepted operation: nothing without a Callback URL, nor when a `silent`
   * fault rule swallows the operation's callbacks (then it is not in the callback log either).
   */
  async report(request: CallbackTarget, statusCode: number, statusMessage: string, body: string, signal: AbortSignal): Promise<void> {
    if (!request.callbackUrl) return;
    if (request.silent) {
      this.logger.debug({ url: request.callbackUrl, transactionId: request.transactionId }, 'Dropping callback (silent fault rule)');
      return;
    }
    const { callbackUrl: url, transactionId } = request;
    await this.send({ url, transactionId, statusCode, statusMessage, body }, signal);
  }

  /** Resolves true once the receiver answered 2xx, false when delivery was given up or aborted. */
  async send(callback: EscCallback, signal: AbortSignal): Promise<boolean> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/xml; charset=UTF-8',
      ...(callback.transactionId !== undefined && { ESC_TRANSACTION_ID: callback.transactionId }),
      'ESC-Status-Code': String(callback.statusCode),
      'ESC-Status-Message': headerSafe(callback.statusMessage),
    };
    const entry = this.log.start(callback.url, headers, callback.body);
    const attempts = 1 + this.config.callbackRetries;

    for (let attempt = 1; attempt <= attempts && !signal.aborted; attempt++) {
      if (await this.attempt(entry, signal)) {
        entry.delivered = true;
        return true;
      }
      if (attempt < attempts) {
        try {
          await abortableDelay(this.config.callbackRetryDelayMs * 2 ** (attempt - 1), signal);
        } catch {
          break;
        }
      }
    }
    entry.delivered = false;
    if (!signal.aborted) {
      this.logger.warn(
        { url: callback.url, transactionId: callback.transactionId, attempts: entry.attempts },
        'Giving up on callback delivery',
      );
    }
    return false;
  }

  private async attempt(entry: SentCallback, signal: AbortSignal): Promise<boolean> {
    const at = new Date().toISOString();
    try {
      const response = await request(entry.url, {
        method: 'POST',
        headers: entry.headers,
        body: entry.body,
        dispatcher: this.agent,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.config.callbackTimeoutMs)]),
      });
      await response.body.dump();
      entry.attempts.push({ at, status: response.statusCode });
      return response.statusCode >= 200 && response.statusCode < 300;
    } catch (error) {
      entry.attempts.push({ at, error: describeError(error) });
      this.logger.debug({ url: entry.url, err: error }, 'Callback attempt failed');
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.destroy();
  }
}

/** Header values cannot carry line breaks or non-Latin-1 text; fault messages are free text. */
function headerSafe(value: string): string {
  return value.replace(/[^\t\x20-\x7e]/g, ' ');
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${typeof code === 'string' ? `${code} ` : ''}${error.message}${cause}`;
}
