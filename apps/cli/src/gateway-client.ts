import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { CliError, ExitCode, exitCodeOfStatus } from './exit-codes';
import { Settings } from './settings';

const TIMEOUT_MS = 60_000;

/** Connection failures after which the request may not have arrived, or got no answer: worth the one retry (with the same key). */
const RETRIABLE = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** The gateway's HTTP API, as the CLI uses it: JSON in and out, its error body turned into a CliError. */
export class GatewayClient {
  private readonly agent = new Agent({ headersTimeout: TIMEOUT_MS, bodyTimeout: 0, connect: { timeout: 10_000 } });

  constructor(private readonly settings: Settings) {}

  get url(): string {
    return this.settings.url;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  /** A mutating call, with a JSON body. */
  post<T>(path: string, body: unknown): Promise<T> {
    return this.once((key) => this.call<T>('POST', path, JSON.stringify(body ?? {}), 'application/json', key));
  }

  /** A mutating call whose body is streamed (a file): `open` gives the stream, again for the retry. */
  upload<T>(path: string, open: () => Readable, contentType: string): Promise<T> {
    // the gateway answers once it has checked every item: no time limit on that
    return this.once((key) => this.call<T>('POST', path, open(), contentType, key, 0));
  }

  /**
   * Every mutating call carries an Idempotency-Key, so that the one retry after a connection that
   * broke before the answer cannot run it twice: the gateway answers the retry with the first answer.
   */
  private async once<T>(send: (key: string) => Promise<T>): Promise<T> {
    const key = randomUUID();
    try {
      return await send(key);
    } catch (e) {
      // only a connection that broke or was refused: an answer that is late may still be coming, and a retry would wait on the first
      if (e instanceof CliError && e.code === ExitCode.Unreachable && e.retriable) return send(key);
      throw e;
    }
  }

  /** The raw response of a streaming GET (Server-Sent Events). */
  async stream(path: string): Promise<AsyncIterable<Buffer>> {
    const res = await this.send('GET', path, undefined, undefined, undefined, { Accept: 'text/event-stream' });
    if (res.statusCode >= 400) throw await this.failure(res.statusCode, await res.body.text());
    return res.body;
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: string | Readable, contentType?: string, key?: string, headersTimeout?: number): Promise<T> {
    const res = await this.send(method, path, body, contentType, key, {}, headersTimeout);
    const text = await res.body.text();
    if (res.statusCode >= 400) throw await this.failure(res.statusCode, text);
    try {
      return (text ? JSON.parse(text) : undefined) as T;
    } catch {
      throw new CliError(ExitCode.Unexpected, `${method} ${path}: the gateway's answer is not JSON`);
    }
  }

  private async send(method: 'GET' | 'POST', path: string, body?: string | Readable, contentType?: string, key?: string, extra: Record<string, string> = {}, headersTimeout?: number) {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.settings.token}`, Accept: 'application/json', ...extra };
    if (contentType) headers['Content-Type'] = contentType;
    if (key) headers['Idempotency-Key'] = key;
    try {
      return await request(`${this.settings.url}${path}`, { method, headers, body, dispatcher: this.agent, ...(headersTimeout !== undefined ? { headersTimeout } : {}) });
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      throw new CliError(ExitCode.Unreachable, `the gateway at ${this.settings.url} did not answer ${method} ${path}: ${(e as Error).message}`, RETRIABLE.has(code));
    }
  }

  private async failure(status: number, text: string): Promise<CliError> {
    let message = text.slice(0, 500);
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not CAM's error shape: its text as it is
    }
    return new CliError(exitCodeOfStatus(status), `HTTP ${status}: ${message}`);
  }
}
