/** The figures of a chaos run: a table for people, a JSON document for CI (--report). */
import { InstanceRun } from './drive';
import { FaultEvent } from './faults';
import { Finding, Verdict } from './verify';

export const COUNTERS = ['lost', 'duplicated', 'mismatched', 'orphans', 'stuck', 'failedTransient', 'failedOther'] as const;
export type Counter = (typeof COUNTERS)[number];

const LABELS: Record<Counter, string> = {
  lost: 'lost (callback acknowledged, never applied; request never sent)',
  duplicated: 'duplicated (two ESC deployments for one step)',
  mismatched: 'mismatched (state differs from ESC)',
  orphans: 'orphans (ESC deployments no instance owns)',
  stuck: 'stuck (not settled in time)',
  failedTransient: 'failed only because of transient faults',
  failedOther: 'failed otherwise',
};

export interface ChaosReport {
  date: string;
  settings: Record<string, unknown>;
  database: string;
  queuePrefix: string;
  durationSeconds: number;
  instances: number;
  settled: number;
  byStatus: Record<string, number>;
  counts: Record<Counter, number>;
  findings: Record<Counter, Finding[]>;
  lastFaultAt: string | null;
  /** The latest settle, in seconds after the last fault (0 when all settled before it). */
  slowestSettleSeconds: number;
  slowestSettleInstance: string | null;
  goalSeconds: number;
  withinGoal: boolean;
  /** The longest an instance took from its deploy request to where it ended. */
  slowestInstanceSeconds: number;
  faults: { events: Array<FaultEvent & { atSeconds: number }>; ruleHits: Record<string, number>; downHits: number; plannedNotHit: number };
  callbacks: Verdict['callbacks'];
  escRequests: Verdict['requests'];
  escDeploymentsEver: number;
  /** Apps that ended without being killed by the run, and replacements that did not start. */
  crashed: string[];
  logDir: string;
  ok: boolean;
}

export function buildReport(input: {
  settings: Record<string, unknown>;
  database: string;
  queuePrefix: string;
  startedAt: number;
  runs: InstanceRun[];
  verdict: Verdict;
  lastFaultAt: number;
  events: FaultEvent[];
  ruleHits: Record<string, number>;
  downHits: number;
  plannedNotHit: number;
  goalSeconds: number;
  crashed: string[];
  logDir: string;
}): ChaosReport {
  const { runs, verdict, lastFaultAt } = input;
  const settled = runs.filter((r) => r.settledAt !== undefined);
  const byStatus: Record<string, number> = {};
  for (const r of runs) byStatus[r.status ?? r.stuckStatus ?? 'never deployed'] = (byStatus[r.status ?? r.stuckStatus ?? 'never deployed'] ?? 0) + 1;
  let slowest = 0;
  let slowestName: string | null = null;
  for (const r of settled) {
    const after = Math.max(0, r.settledAt! - lastFaultAt);
    if (after >= slowest) [slowest, slowestName] = [after, r.name];
  }
  const instanceMs = settled.map((r) => r.settledAt! - (r.submittedAt ?? r.settledAt!));
  const counts = Object.fromEntries(COUNTERS.map((k) => [k, verdict.counters[k].length])) as Record<Counter, number>;
  const withinGoal = slowest <= input.goalSeconds * 1000;
  return {
    date: new Date(input.startedAt).toISOString(),
    settings: input.settings,
    database: input.database,
    queuePrefix: input.queuePrefix,
    durationSeconds: round((Date.now() - input.startedAt) / 1000),
    instances: runs.length,
    settled: settled.length,
    byStatus,
    counts,
    findings: verdict.counters,
    lastFaultAt: lastFaultAt ? new Date(lastFaultAt).toISOString() : null,
    slowestSettleSeconds: round(slowest / 1000),
    slowestSettleInstance: slowestName,
    goalSeconds: input.goalSeconds,
    withinGoal,
    slowestInstanceSeconds: round(Math.max(0, ...instanceMs) / 1000),
    faults: { events: input.events.map((e) => ({ ...e, atSeconds: round((e.at - input.startedAt) / 1000) })), ruleHits: input.ruleHits, downHits: input.downHits, plannedNotHit: input.plannedNotHit },
    callbacks: verdict.callbacks,
    escRequests: verdict.requests,
    escDeploymentsEver: verdict.escDeploymentsEver,
    crashed: input.crashed,
    logDir: input.logDir,
    ok: COUNTERS.every((k) => counts[k] === 0) && settled.length === runs.length && input.crashed.length === 0,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

export function table(r: ChaosReport, startedAt: number, maxFindings = 15): string {
  const rows: Array<[string, string]> = [
    ['instances', String(r.instances)],
    ['settled', `${r.settled} (${Object.entries(r.byStatus).map(([s, n]) => `${s} ${n}`).join(', ')})`],
    ...COUNTERS.map((k) => [LABELS[k], String(r.counts[k])] as [string, string]),
    ['slowest settle after the last fault', `${r.slowestSettleSeconds.toFixed(1)} s${r.slowestSettleInstance ? ` (${r.slowestSettleInstance})` : ''}; goal ≤ ${r.goalSeconds} s: ${r.withinGoal ? 'met' : 'NOT MET'}`],
    ['slowest instance, deploy request to its end', `${r.slowestInstanceSeconds.toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const hits = Object.entries(r.faults.ruleHits).sort().map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const stackFaults = r.faults.events.map((e) => `${e.kind} at ${e.atSeconds} s`).join(', ') || 'none';
  const last = r.lastFaultAt ? `${((Date.parse(r.lastFaultAt) - startedAt) / 1000).toFixed(1)} s into the run` : 'none';
  const lines = [
    '',
    `chaos run: ${r.instances} instances, ${r.settings.gateways} gateways, ${r.settings.workers} workers, seed ${r.settings.seed}: ${r.durationSeconds} s`,
    `faults: ESC rule hits: ${hits}; down-period refusals ${r.faults.downHits}; ${stackFaults}; last fault ${last}`,
    `ESC: ${r.escDeploymentsEver} deployments made; ${r.escRequests.total} requests (${Object.entries(r.escRequests.byStatus).map(([s, n]) => `${s} ${n}`).join(', ')}); callbacks ${r.callbacks.sent} sent, ${r.callbacks.acknowledged} acknowledged (by gateway port: ${Object.entries(r.callbacks.byGateway).map(([p, n]) => `${p} ${n}`).join(', ')}), ${r.callbacks.undelivered} given up${r.callbacks.notRead ? `, ${r.callbacks.notRead} left esc-sim's log unread` : ''}`,
    '',
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
  ];
  for (const k of COUNTERS) {
    const list = r.findings[k];
    if (!list.length) continue;
    lines.push('', `${LABELS[k]}:`);
    for (const f of list.slice(0, maxFindings)) lines.push(`  - ${f.instance ?? ''}${f.id ? ` (${f.id})` : ''}: ${f.what}`);
    if (list.length > maxFindings) lines.push(`  ... and ${list.length - maxFindings} more (see the JSON report)`);
  }
  if (r.crashed.length) lines.push('', `apps that ended on their own or did not start: ${r.crashed.join('; ')}`);
  lines.push('', r.ok ? 'chaos: every counter is 0 and every instance settled' : `chaos: FAILED (app logs kept in ${r.logDir})`);
  return lines.join('\n');
}
