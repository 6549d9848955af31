import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Hit {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Reply = { status: number; body?: unknown; headers?: Record<string, string>; hang?: boolean };

export interface HookServer {
  url: string;
  /** Every call received, in order. */
  hits: Hit[];
  close(): Promise<void>;
}

/** A small HTTP server standing in for the systems a resthook step calls: records each call, answers what `reply` says. */
export async function startHookServer(reply: (hit: Hit) => Reply): Promise<HookServer> {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const hit = { method: req.method!, url: req.url!, headers: req.headers, body };
      hits.push(hit);
      const r = reply(hit);
      if (r.hang) return;
      res.writeHead(r.status, { 'Content-Type': 'application/json', ...r.headers });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** A request as esc-sim's /_sim/requests lists it. */
export interface SimRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
  /** When esc-sim received it (ISO). */
  receivedAt: string;
}
