import { Injectable, Logger } from '@nestjs/common';
import { internalIdsNamed } from '@cam-esc/flow';
import { DomainException } from '@cam-esc/errors';
import { HeaderBag, parseEscCallback } from '@cam-esc/esc';
import { CallbackChannel } from '@cam-esc/instances';
import { JobName, OutboxRelay, outboxEntry } from '@cam-esc/jobs';
import { EscCallbackRepository } from '@cam-esc/persistence';

export interface ReceiveEscCallbackCommand {
  token: string;
  /** Posted to the request's Callback URL, or to its Callback-ESC-Events URL. */
  channel: CallbackChannel;
  headers: HeaderBag;
  body: string;
}

/** Headers worth keeping with a raw callback (never credentials). */
const KEPT_HEADERS = /^(content-type|esc[-_].*|user-agent)$/i;

/**
 * Stores an ESC callback raw, before anything is applied, and leaves applying it to the worker.
 * The token in the path names the request the callback answers; unknown tokens are refused
 * (and nothing is stored for them).
 */
@Injectable()
export class ReceiveEscCallbackUseCase {
  private readonly logger = new Logger(ReceiveEscCallbackUseCase.name);

  constructor(
    private readonly callbacks: EscCallbackRepository,
    private readonly outbox: OutboxRelay,
  ) {}

  async execute(cmd: ReceiveEscCallbackCommand): Promise<string> {
    let summary: ReturnType<typeof parseEscCallback> | undefined;
    let detail: string | undefined;
    try {
      summary = parseEscCallback(cmd.headers, cmd.body);
    } catch (e) {
      detail = `body is not well-formed XML: ${(e as Error).message}`;
    }
    const headers = Object.fromEntries(Object.entries(cmd.headers).filter(([k]) => KEPT_HEADERS.test(k)));
    const stored = await this.callbacks.storeForToken(cmd.token, {
      transactionId: summary?.transactionId ?? null,
      statusCode: summary?.statusCode ?? null,
      statusMessage: summary?.statusMessage ?? null,
      headers,
      body: cmd.body,
      stage: summary?.stage ?? null,
      internalIdByKind: summary ? internalIdsNamed(summary.fields) : {},
      detail: detail ?? null,
      channel: cmd.channel,
    }, (callbackId) => outboxEntry(JobName.ApplyEscCallback, { callbackId }));
    if (!stored) throw DomainException.notFound('callback', '[token]');
    const log = { serviceInstanceId: stored.serviceInstanceId, escTransactionId: summary?.transactionId, callbackId: stored.id, stage: summary?.stage };
    // stored with the job that applies it: the 2xx tells ESC nothing is lost, whether or not the queue store answers now
    this.outbox.relaySoon(stored.outboxId, stored.job);
    this.logger.log(log, `ESC ${cmd.channel === CallbackChannel.Events ? 'event' : 'callback'} ${summary?.stage ?? '(unparsed)'} received`);
    return stored.id;
  }
}
