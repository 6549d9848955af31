/**
 * What the chaos run watches while it runs: the instances' Status (the CAM list, every second),
 * every callback esc-sim sent and how the gateway answered it (/_sim/callbacks keeps the last
 * 1000 only, so it is read every second and merged), and every deployment ESC held at any time
 * (GET /ESCManager/v0/deployments every two seconds, plus the create callbacks): two ESC
 * deployments for one step show there even when one of them is gone by the end.
 */
import { XMLParser } from 'fast-xml-parser';
import { Cam, CAM, call } from './api';
import { ChaosStack } from './stack';

export interface InstanceSeen {
  id: string;
  name: string;
  status: string;
  /** Server time of the instance's last change, as the list reports it. */
  updatedAt: number;
}

/** The CAM list, polled: every instance's latest Status, and listeners waiting for a change. */
export class InstanceWatch {
  readonly byId = new Map<string, InstanceSeen>();
  private readonly waiters = new Set<(cancel?: boolean) => void>();
  errors = 0;

  constructor(private readonly cam: Cam) {}

  async poll(): Promise<void> {
    let cursor: string | null = null;
    do {
      const q: string = `filter[limit]=500&filter[order]=creationTime%20ASC${cursor ? `&filter[cursor]=${encodeURIComponent(cursor)}` : ''}`;
      const answer = await this.cam.get<Array<{ id: string; name: string; Status: string; updated_time: string }>>(`${CAM}/ServiceInstances?${q}`).catch(() => undefined);
      if (!answer || answer.status !== 200) {
        this.errors++;
        return;
      }
      for (const i of answer.json) this.byId.set(i.id, { id: i.id, name: i.name, status: i.Status, updatedAt: Date.parse(i.updated_time) });
      cursor = answer.headers.get('x-next-cursor');
    } while (cursor);
    for (const wake of [...this.waiters]) wake();
  }

  /** Ends every wait now (the run is over). */
  cancelAll(): void {
    for (const wake of [...this.waiters]) wake(true);
  }

  /** Resolves with the instance once `done` holds for it (checked after each poll), or undefined after `timeoutMs`. */
  until(id: string, done: (i: InstanceSeen) => boolean, timeoutMs: number): Promise<InstanceSeen | undefined> {
    return new Promise((resolve) => {
      const check = (cancel?: boolean) => {
        if (cancel) return finish(undefined);
        const seen = this.byId.get(id);
        if (seen && done(seen)) finish(seen);
      };
      const finish = (value: InstanceSeen | undefined) => {
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}

export interface SimCallback {
  seq: number;
  queuedAt: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  attempts: Array<{ at: string; status?: number; error?: string }>;
  delivered: boolean | null;
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]?.trim();

/** What a callback is about, read from esc-sim's own XML. */
export function callbackKey(headers: Record<string, string>, body: string) {
  const tid = Object.entries(headers).find(([k]) => k.toLowerCase() === 'esc_transaction_id' || k.toLowerCase() === 'esc-transaction-id')?.[1] ?? '';
  return { tid, stage: tag(body, 'deployment_stage') ?? tag(body, 'event_type') ?? '', vm: tag(body, 'vm_name') ?? '', internalId: tag(body, 'internal_deployment_id') ?? '' };
}

/** esc-sim's callback log, merged over the run (entries are updated while they are delivered). */
export class CallbackWatch {
  readonly bySeq = new Map<number, SimCallback>();
  /** Entries that left esc-sim's 1000-entry log before they were read. */
  missed = 0;
  private highest = 0;

  constructor(private readonly stack: ChaosStack) {}

  async poll(): Promise<void> {
    const answer = await call<SimCallback[]>(`${this.stack.simBase}/_sim/callbacks`, { timeoutMs: 10_000 }).catch(() => undefined);
    if (!answer || answer.status !== 200 || !Array.isArray(answer.json)) return;
    const list = answer.json;
    if (list.length && list[0].seq > this.highest + 1 && this.highest > 0) this.missed += list[0].seq - this.highest - 1;
    for (const c of list) this.bySeq.set(c.seq, c);
    if (list.length) this.highest = Math.max(this.highest, list[list.length - 1].seq);
  }

  /** Whether esc-sim still delivers some callback (a retry may be due). */
  get delivering(): number {
    return [...this.bySeq.values()].filter((c) => c.delivered === null).length;
  }
}

export interface EscVm {
  name: string;
  state: string;
}
export interface EscDeployment {
  internalId: string;
  name: string;
  state: string;
  vms: EscVm[];
}

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, isArray: (name) => name === 'deployment' || name === 'deployment_details' });

export function parseDeployments(xml: string): EscDeployment[] {
  const doc = parser.parse(xml) as { deployments?: { deployment?: Array<Record<string, any>> } | '' };
  const list = (typeof doc.deployments === 'object' && doc.deployments.deployment) || [];
  return list.map((d) => ({
    internalId: String(d.internal_deployment_id ?? ''),
    name: String(d.deployment_name ?? ''),
    state: String(d.service_state_machine_state ?? ''),
    vms: ((d.deployment_details ?? []) as Array<Record<string, any>>).map((v) => ({ name: String(v.vm_name ?? ''), state: String(v.vm_state_machine_state ?? '') })),
  }));
}

/** Every deployment ESC held at any time (by internal id), and what it holds now. */
export class EscWatch {
  /** internal id → first and last time it was seen on ESC */
  readonly ever = new Map<string, { first: number; last: number; name: string }>();
  now: EscDeployment[] = [];
  errors = 0;

  constructor(private readonly stack: ChaosStack) {}

  async poll(): Promise<EscDeployment[] | undefined> {
    const answer = await call(`${this.stack.escUrl}/v0/deployments`, { auth: this.stack.escAuth, timeoutMs: 15_000 }).catch(() => undefined);
    // a down period makes ESC away for everyone, the run included
    if (!answer || answer.status !== 200) {
      this.errors++;
      return undefined;
    }
    const at = Date.now();
    this.now = parseDeployments(answer.text);
    for (const d of this.now) this.saw(d.internalId, d.name, at);
    return this.now;
  }

  saw(internalId: string, name: string, at: number): void {
    const known = this.ever.get(internalId);
    if (known) known.last = Math.max(known.last, at);
    else this.ever.set(internalId, { first: at, last: at, name });
  }
}

/** Runs `fn` every `ms` until stopped; a tick never overlaps the previous one. */
export function every(ms: number, fn: () => Promise<unknown>): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const tick = () => {
    running = fn().catch(() => undefined).finally(() => {
      if (!stopped) timer = setTimeout(tick, ms);
    });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
