import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A throwaway HTTP server standing in for an ESC client's callback endpoint. Answers 200 unless
 * told otherwise with respondWith(). hold() keeps answers back until release(): as esc-sim waits
 * for each callback's answer, that freezes the operation at a known step.
 */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  private status = 200;
  private held: Array<() => void> | undefined;
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<CallbackReceiver> {
    let receiver: CallbackReceiver | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        receiver!.received.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const answer = (): void => {
          res.statusCode = receiver!.status;
          res.end();
        };
        if (receiver!.held) receiver!.held.push(answer);
        else answer();
        receiver!.waiters.forEach((wake) => wake());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new CallbackReceiver(server, `http://127.0.0.1:${port}/esc/callback`);
    return receiver;
  }

  respondWith(status: number): void {
    this.status = status;
  }

  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    held.forEach((answer) => answer());
  }

  /** Resolves once `predicate` holds for the callbacks received so far. */
  async waitFor(predicate: (received: ReceivedCallback[]) => boolean, timeoutMs = 5000): Promise<ReceivedCallback[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`Timed out waiting for callbacks; got ${this.received.length}: ${this.received.map(stageOf).join(', ')}`);
      }
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
    return [...this.received];
  }

  /** Waits for the callback whose stage (see stageOf) is `stage` (the n-th such one). */
  async waitForStage(stage: string, nth = 1, timeoutMs?: number): Promise<ReceivedCallback[]> {
    return this.waitFor((all) => all.filter((callback) => stageOf(callback) === stage).length >= nth, timeoutMs);
  }

  clear(): void {
    this.received.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.closeAllConnections();
      this.server.close((error) => (error ? reject(error) : resolve()));
    });
  }
}

/** A deployment callback's <deployment_stage>, or another resource's <event_type> (CREATE_TENANT...). */
export function stageOf(callback: ReceivedCallback): string {
  return /<(?:deployment_stage|event_type)>([^<]*)<\/(?:deployment_stage|event_type)>/.exec(callback.body)?.[1] ?? '?';
}
