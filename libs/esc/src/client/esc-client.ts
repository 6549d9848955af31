import { Injectable } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { request } from 'undici';
import { transactionIdOf } from '../callbacks/esc-callback';

export interface EscCall {
  method: 'POST' | 'PUT' | 'DELETE' | 'GET';
  /** Path under ESC_URL, e.g. /v0/deployments/abc */
  path: string;
  body?: string;
  /** URL ESC posts its callbacks to (the `Callback` and `Callback-ESC-Events` headers). */
  callbackUrl?: string;
}

export interface EscAnswer {
  status: number;
  body: string;
  transactionId?: string;
}

/** Raised when ESC could not be reached at all (connection refused, timeout): worth a retry. */
export class EscUnreachableError extends Error {}

/** ESC's northbound REST API over HTTP, with XML bodies and optional Basic auth. */
@Injectable()
export class EscClient {
  private readonly timeoutMs = 30_000;

  constructor(private readonly config: AppConfig) {}

  get baseUrl(): string {
    return this.config.esc.url;
  }

  async call(call: EscCall): Promise<EscAnswer> {
    const headers: Record<string, string> = { Accept: 'application/xml' };
    if (call.body !== undefined) headers['Content-Type'] = 'application/xml';
    if (call.callbackUrl) {
      headers['Callback'] = call.callbackUrl;
      headers['Callback-ESC-Events'] = call.callbackUrl;
    }
    const { username, password } = this.config.esc;
    if (username) headers['Authorization'] = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
    try {
      const res = await request(`${this.baseUrl}${call.path}`, {
        method: call.method,
        headers,
        body: call.body,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const body = await res.body.text();
      return { status: res.statusCode, body, transactionId: transactionIdOf(res.headers) };
    } catch (e) {
      // the base URL stays out of the message: it ends up in instance logs that tenants read
      throw new EscUnreachableError(`ESC did not answer ${call.method} ${call.path}: ${(e as Error).message}`);
    }
  }
}
