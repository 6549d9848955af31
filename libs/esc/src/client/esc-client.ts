import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { request } from 'undici';
import { transactionIdOf } from '../callbacks/esc-callback';
import { EscAgents } from './esc-agents';
import { defaultEscTarget, EscTarget } from './esc-target';

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

export interface EscAnswer {
  status: number;
  body: string;
  transactionId?: string;
}

/** Raised when ESC could not be reached at all (connection refused, timeout): worth a retry. */
export class EscUnreachableError extends Error {}

/** ESC's northbound REST API over HTTP, with XML bodies and optional Basic auth, on any connection. */
@Injectable()
export class EscClient implements OnModuleDestroy {
  private readonly agents = new EscAgents();
  private readonly defaultTarget: EscTarget;

  constructor(config: AppConfig) {
    this.defaultTarget = defaultEscTarget(config);
  }

  /** Base URL of the default connection (ESC_URL). */
  get baseUrl(): string {
    return this.defaultTarget.url;
  }

  /** Sends one request on `target` (the connection ESC_URL configures when absent). */
  async call(call: EscCall, target: EscTarget = this.defaultTarget): Promise<EscAnswer> {
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
      return { status: res.statusCode, body, transactionId: transactionIdOf(res.headers) };
    } catch (e) {
      // the URL stays out of the message: it ends up in instance logs that tenants read
      throw new EscUnreachableError(`ESC did not answer ${call.method} ${call.path}: ${withoutUrl((e as Error).message, target.url)}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.agents.closeAll();
  }
}

function withoutUrl(message: string, url: string): string {
  return message.split(url).join('[ESC]');
}
