import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { OutboundPolicy } from '@cam-esc/outbound';
import { request } from 'undici';
import { transactionIdOf } from '../callbacks/esc-callback';
import { EscAgents } from './esc-agents';
import { EscCircuits } from './esc-circuits';
import { EscAnswer, EscUnreachableError } from './esc-errors';

export type { EscAnswer } from './esc-errors';
export { EscUnreachableError } from './esc-errors';
import { DEFAULT_CONNECTION, defaultEscTarget, EscTarget } from './esc-target';

export interface EscCall {
  method: 'POST' | 'PUT' | 'DELETE' | 'GET';
  /** Path under the connection's URL, e.g. /v0/deployments/abc */
  path: string;
  body?: string;
  /** URL ESC posts the callbacks of this request to (the `Callback` header). */
  callbackUrl?: string;
  /** URL ESC posts its events outside any request to (`Callback-ESC-Events`; the callback URL when absent). */
  eventsUrl?: string;
}

/** undici's and Node's codes for a request that never left: nothing reached ESC. */
const NOT_SENT = new Set(['EOUTBOUND', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** ESC's northbound REST API over HTTP, with XML bodies and optional Basic auth, on any connection. */
@Injectable()
export class EscClient implements OnModuleDestroy {
  private readonly agents: EscAgents;
  private readonly outbound: OutboundPolicy;
  private readonly defaultTarget: EscTarget;
  /** Each connection's circuit breaker (this process's view of which ESCs are failing). */
  readonly circuits: EscCircuits;

  constructor(config: AppConfig) {
    this.defaultTarget = defaultEscTarget(config);
    this.outbound = new OutboundPolicy(config.outboundAllow);
    this.agents = new EscAgents(this.outbound);
    this.circuits = new EscCircuits(config.escCircuit);
  }

  /**
   * The processes (worker processes) that send on the same connections: each keeps
   * floor(max_in_flight / processes), at least one, in flight on a connection, so that together
   * they stay within its max_in_flight (while there are no more processes than that).
   */
  shareInFlightAmong(processes: number): void {
    this.agents.shareAmong(processes);
  }

  /** Base URL of the default connection (ESC_URL). */
  get baseUrl(): string {
    return this.defaultTarget.url;
  }

  /**
   * Sends one request on `target` (the connection ESC_URL configures when absent), through the
   * connection's circuit breaker: while it is open, EscCircuitOpenError and nothing is sent.
   */
  call(call: EscCall, target: EscTarget = this.defaultTarget): Promise<EscAnswer> {
    return this.circuits.call(target, () => this.send(call, target));
  }

  private async send(call: EscCall, target: EscTarget): Promise<EscAnswer> {
    // a stored connection goes only where OUTBOUND_ALLOW lets it (its addresses are checked again when it connects)
    const refused = (target.id ?? target.name) === DEFAULT_CONNECTION ? undefined : this.outbound.urlRule(new URL(target.url));
    if (refused) throw new EscUnreachableError(`ESC was not called (${call.method} ${call.path}): outbound call refused: ${refused}`);
    const headers: Record<string, string> = { Accept: 'application/xml' };
    if (call.body !== undefined) headers['Content-Type'] = 'application/xml';
    if (call.callbackUrl) {
      headers['Callback'] = call.callbackUrl;
      headers['Callback-ESC-Events'] = call.eventsUrl ?? call.callbackUrl;
    }
    if (target.username) headers['Authorization'] = `Basic ${Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64')}`;
    try {
      const res = await request(`${target.url}${call.path}`, { method: call.method, headers, body: call.body, dispatcher: this.agents.for(target) });
      const body = await res.body.text();
      return { status: res.statusCode, body, transactionId: transactionIdOf(res.headers), retryAfterMs: retryAfterMs(res.headers['retry-after']) };
    } catch (e) {
      const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code;
      // the URL stays out of the message: it ends up in instance logs that tenants read
      throw new EscUnreachableError(`ESC did not answer ${call.method} ${call.path}: ${withoutUrl((e as Error).message, target.url)}`, !NOT_SENT.has(code ?? ''));
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.circuits.shutdown();
    await this.agents.closeAll();
  }
}

function withoutUrl(message: string, url: string): string {
  return message.split(url).join('[ESC]');
}
