/**
 * Load through autocannon, and the one comparison every floor section makes: the gateway and its
 * floor measured by the same generator in alternating rounds, so that the machine's noise falls
 * on both.
 */
import autocannon from 'autocannon';

export interface LoadTarget {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** `[<id>]` in the body is replaced by a fresh id per request. */
  body?: string;
}

export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  requests: number;
  /** Answers outside 2xx and connection errors: a run with any is reported, not averaged in silently. */
  failures: number;
}

export interface Comparison {
  gateway: LoadFigures;
  floor: LoadFigures;
  /** gateway requests/s ÷ floor requests/s */
  ratio: number;
  rounds: number;
  connections: number;
  secondsPerRound: number;
}

export async function load(target: LoadTarget, connections: number, seconds: number): Promise<LoadFigures> {
  const result = await autocannon({
    url: target.url,
    method: target.method,
    headers: target.headers,
    body: target.body,
    idReplacement: target.body?.includes('[<id>]') ?? false,
    connections,
    duration: seconds,
    timeout: 30,
  });
  return {
    requestsPerSecond: Math.round((result.requests.total / (result.duration || seconds)) * 10) / 10,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: Math.round(result.latency.mean * 100) / 100,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

function combine(runs: LoadFigures[]): LoadFigures {
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  return {
    requestsPerSecond: Math.round((runs.reduce((n, r) => n + r.requestsPerSecond, 0) / runs.length) * 10) / 10,
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    meanMs: median(runs.map((r) => r.meanMs)),
    requests,
    failures: runs.reduce((n, r) => n + r.failures, 0),
  };
}

/** A short unmeasured warm-up of each, then `rounds` of floor and gateway in turn. */
export async function compare(gateway: LoadTarget, floor: LoadTarget, opts: { rounds: number; seconds: number; connections: number }): Promise<Comparison> {
  const warmUp = Math.max(1, Math.round(opts.seconds / 3));
  await load(floor, opts.connections, warmUp);
  await load(gateway, opts.connections, warmUp);
  const g: LoadFigures[] = [];
  const f: LoadFigures[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    f.push(await load(floor, opts.connections, opts.seconds));
    g.push(await load(gateway, opts.connections, opts.seconds));
  }
  const gw = combine(g);
  const fl = combine(f);
  // a floor that fails is the bench's own problem (a crashed floor server, a busy port): no figure to compare with
  if (fl.failures > 0) throw new Error(`the floor at ${floor.url} failed ${fl.failures} of ${fl.requests} requests: not a measurement`);
  return { gateway: gw, floor: fl, ratio: Math.round((gw.requestsPerSecond / fl.requestsPerSecond) * 100) / 100, rounds: opts.rounds, connections: opts.connections, secondsPerRound: opts.seconds };
}
