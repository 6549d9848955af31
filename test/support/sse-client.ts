import { get, IncomingMessage } from 'node:http';

export interface SseEvent {
  id?: string;
  event: string;
  data: Record<string, unknown>;
}

export interface SseStream {
  status: number;
  events: SseEvent[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Resolves with the events once one satisfies `done`. */
  until(done: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent[]>;
  body(): string;
  close(): void;
}

/** A Server-Sent Events client over plain HTTP, that keeps every event it read. */
export function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res: IncomingMessage) => {
      const events: SseEvent[] = [];
      const waiters: Array<() => void> = [];
      let buffer = '';
      let raw = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (!line || line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
          }
          if (fields.data === undefined) continue;
          events.push({ id: fields.id, event: fields.event ?? 'message', data: JSON.parse(fields.data) });
          waiters.splice(0).forEach((w) => w());
        }
      });
      const ended = new Promise<void>((done) => res.on('end', () => done()));
      resolve({
        status: res.statusCode ?? 0,
        events,
        ended,
        body: () => raw,
        close: () => req.destroy(),
        async until(done, timeoutMs = 20_000) {
          const end = Date.now() + timeoutMs;
          while (!events.some(done)) {
            if (Date.now() > end) throw new Error(`no event matched in ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => [e.id, e.event, e.data.line ?? e.data.stage ?? e.data.event]))}`);
            await Promise.race([new Promise<void>((r) => waiters.push(r)), new Promise((r) => setTimeout(r, 200)), ended]);
          }
          return events;
        },
      });
    });
    req.on('error', reject);
  });
}
