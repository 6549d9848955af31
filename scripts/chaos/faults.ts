/**
 * The faults of a chaos run. Per instance (planned at the start, aimed at the instance's own
 * deployment with esc-sim rules matching its name): creates and deletes answered 503 with
 * Retry-After, single 500s, lost answers, dropped requests, slow answers. For the whole stack
 * (fired as the run progresses): ESC down for a moment, a worker SIGKILLed and replaced, Redis
 * "restarted empty" (every key of the run's prefix deleted). The time of the last fault is what
 * the settle times are measured from.
 */
import { call, ok } from './api';
import { deploymentMatch } from './service';
import { ChaosStack } from './stack';

export type FaultKind = 'unavailable' | 'error500' | 'lostAnswer' | 'dropped' | 'slow';
export type Operation = 'create' | 'delete';
export const FAULT_KINDS: readonly FaultKind[] = ['unavailable', 'error500', 'lostAnswer', 'dropped', 'slow'];

/** Share of the instances whose create (delete) gets each fault. */
const SHARES: Record<Operation, Record<FaultKind, number>> = {
  create: { unavailable: 0.12, error500: 0.06, lostAnswer: 0.06, dropped: 0.06, slow: 0.05 },
  delete: { unavailable: 0.06, error500: 0.04, lostAnswer: 0.06, dropped: 0.04, slow: 0.04 },
};

const SLOW_MS = 2500;

function ruleOf(kind: FaultKind, operation: Operation, name: string): Record<string, unknown> {
  const base = { resource: 'deployment', operation, match: { name: deploymentMatch(name) } };
  switch (kind) {
    case 'unavailable':
      return { ...base, respond: { status: 503, body: 'Service Unavailable (chaos)', headers: { 'Retry-After': '1' } }, times: 2 };
    case 'error500':
      return { ...base, respond: { status: 500, body: 'Internal Server Error (chaos)' }, times: 1 };
    case 'lostAnswer':
      return { ...base, loseAnswer: true, times: 1 };
    case 'dropped':
      return { ...base, dropRequest: true, times: 1 };
    case 'slow':
      return { ...base, delayMs: SLOW_MS, times: 1 };
  }
}

/** A small seeded generator (mulberry32), so that a run can be repeated with --seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], rnd: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export interface PlannedFaults {
  create?: FaultKind;
  delete?: FaultKind;
}

/** Which instance gets which fault: every kind at least once, on distinct instances per operation. */
export function planFaults(names: string[], rnd: () => number): Map<string, PlannedFaults> {
  const plan = new Map<string, PlannedFaults>(names.map((n) => [n, {}]));
  for (const operation of ['create', 'delete'] as const) {
    const order = shuffle(names, rnd);
    let next = 0;
    for (const kind of FAULT_KINDS) {
      const count = Math.max(1, Math.round(SHARES[operation][kind] * names.length));
      for (let k = 0; k < count && next < order.length; k++) plan.get(order[next++])![operation] = kind;
    }
  }
  return plan;
}

export interface FaultEvent {
  at: number;
  kind: string;
  detail: string;
}

interface SimRule {
  id: string;
  hits: number;
  times?: number;
  delayMs?: number;
  match?: { name?: string };
  operation?: string;
  down?: { ms: number; startedAt: string; endsAt: string; active: boolean };
}

/** Adds the rules, fires the stack-wide faults, and keeps the time of the last fault that happened. */
export class FaultInjector {
  readonly events: FaultEvent[] = [];
  /** rule id → what it is */
  private readonly rules = new Map<string, { instance: string; operation: Operation; kind: FaultKind; hits: number; times: number }>();
  private lastRuleHit = 0;
  private lastDownEnd = 0;
  readonly hitsByKind: Record<string, number> = {};
  downHits = 0;

  constructor(private readonly stack: ChaosStack, private readonly log: (line: string) => void) {}

  get lastFaultAt(): number {
    return Math.max(this.lastRuleHit, this.lastDownEnd, ...this.events.filter((e) => e.kind !== 'down').map((e) => e.at), 0);
  }

  async addRules(plan: Map<string, PlannedFaults>): Promise<void> {
    for (const [instance, faults] of plan) {
      for (const operation of ['create', 'delete'] as const) {
        const kind = faults[operation];
        if (!kind) continue;
        const rule = ruleOf(kind, operation, instance);
        const added = await ok<{ id: string }>(`${this.stack.simBase}/_sim/faults`, { method: 'POST', body: rule });
        this.rules.set(added.json.id, { instance, operation, kind, hits: 0, times: rule.times as number });
      }
    }
  }

  /** Reads the rules' hits (a hit is a fault that happened, its time as seen now, or later by a slow answer's delay). */
  async poll(): Promise<void> {
    const answer = await call<SimRule[]>(`${this.stack.simBase}/_sim/faults`, { timeoutMs: 5000 });
    if (answer.status !== 200 || !Array.isArray(answer.json)) return;
    const now = Date.now();
    for (const rule of answer.json) {
      if (rule.down) {
        this.downHits = rule.hits;
        this.lastDownEnd = Math.max(this.lastDownEnd, Math.min(Date.parse(rule.down.endsAt), now));
        continue;
      }
      const known = this.rules.get(rule.id);
      if (!known || rule.hits <= known.hits) continue;
      const key = `${known.operation}.${known.kind}`;
      this.hitsByKind[key] = (this.hitsByKind[key] ?? 0) + (rule.hits - known.hits);
      known.hits = rule.hits;
      this.lastRuleHit = Math.max(this.lastRuleHit, now + (rule.delayMs ?? 0));
    }
  }

  /** Instances whose planned fault has not happened (their request never came, or not yet). */
  unhit(): Array<{ instance: string; operation: Operation; kind: FaultKind }> {
    return [...this.rules.values()].filter((r) => r.hits === 0).map(({ instance, operation, kind }) => ({ instance, operation, kind }));
  }

  ruleOf(instance: string, operation: Operation) {
    return [...this.rules.values()].find((r) => r.instance === instance && r.operation === operation);
  }

  private record(kind: string, detail: string, at = Date.now()): void {
    this.events.push({ at, kind, detail });
    this.log(`fault: ${kind}: ${detail}`);
  }

  async down(ms: number): Promise<void> {
    await ok(`${this.stack.simBase}/_sim/down`, { method: 'POST', body: { ms } });
    const at = Date.now();
    this.lastDownEnd = Math.max(this.lastDownEnd, at + ms);
    this.record('down', `ESC away for ${ms} ms`, at);
  }

  /** Replacement workers still starting, and those that did not. */
  readonly starting: Promise<unknown>[] = [];
  readonly failedStarts: string[] = [];

  /**
   * SIGKILLs a worker and starts a replacement (which takes a while: the next fault does not wait
   * for it). The victim is, when there is one within 15 s, a worker that is sending an ESC request
   * at that moment: the hardest moment to die, leaving a request claimed that another worker must
   * take over.
   */
  async killWorker(pick: () => number): Promise<void> {
    const live = this.stack.workers;
    if (live.length === 0) return;
    const sender = await this.findSender(live.map((w) => w.child.pid!), 15_000);
    const victim = live.find((w) => w.child.pid === sender) ?? live[Math.floor(pick() * live.length)];
    await this.stack.kill(victim);
    const when = sender ? ' while it was sending an ESC request' : ' (no worker was sending an ESC request)';
    this.record('kill', `${victim.name} SIGKILLed (pid ${victim.child.pid})${when}; starting a replacement`);
    const started = Date.now();
    this.starting.push(this.stack.startWorker().then(
      (replacement) => this.log(`${replacement.name} running after ${((Date.now() - started) / 1000).toFixed(1)} s (replaces ${victim.name})`),
      (e: Error) => {
        this.failedStarts.push(`the replacement of ${victim.name}: ${e.message}`);
        this.log(`the replacement of ${victim.name} did not start: ${e.message}`);
      },
    ));
  }

  /**
   * Waits for a moment when one of `pids` holds the right to send an ESC request (esc_request
   * Pending with sent_at set, sent_by naming the worker as host:pid:random); answers its pid.
   */
  private async findSender(pids: number[], timeoutMs: number): Promise<number | undefined> {
    const db = await this.stack.db();
    try {
      for (const end = Date.now() + timeoutMs; Date.now() < end; ) {
        const { rows } = await db.query<{ sent_by: string }>("SELECT sent_by FROM esc_request WHERE status = 'Pending' AND sent_at IS NOT NULL AND sent_by IS NOT NULL");
        const pid = rows.map((r) => Number(r.sent_by.split(':').at(-2))).find((p) => pids.includes(p));
        if (pid) return pid;
        await new Promise((r) => setTimeout(r, 5));
      }
      return undefined;
    } finally {
      await db.end();
    }
  }

  async flushRedis(): Promise<void> {
    await this.stack.flushRedis();
    this.record('flush', `every Redis key of ${this.stack.queuePrefix} deleted`);
  }
}

export type GlobalFault = 'down' | 'kill' | 'flush';

/**
 * The stack-wide faults, each at a share of the run's work (see Driver.work), spread evenly up to
 * `until`: while as many instances as may be are still in flight.
 */
export function scheduleGlobalFaults(counts: Record<GlobalFault, number>, until: number): Array<{ at: number; fault: GlobalFault }> {
  const order: GlobalFault[] = [];
  const left = { ...counts };
  while (left.down + left.kill + left.flush > 0) {
    for (const f of ['down', 'kill', 'flush'] as const) if (left[f]-- > 0) order.push(f);
  }
  return order.map((fault, i) => ({ at: (until * (i + 1)) / (order.length + 1), fault }));
}
