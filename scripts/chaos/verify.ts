/**
 * The end of a chaos run: every instance (GET …/ServiceInstances/{id} and its /escRequests audit)
 * against esc-sim's own record (the deployments it holds and held, the callbacks it sent and how
 * each was answered). Each finding names the instance and what was seen.
 */
import { Cam, CAM } from './api';
import { InstanceRun } from './drive';
import { CallbackWatch, callbackKey, EscWatch } from './observe';

export interface Finding {
  instance?: string;
  id?: string;
  what: string;
}

export interface Verdict {
  counters: { lost: Finding[]; duplicated: Finding[]; mismatched: Finding[]; orphans: Finding[]; stuck: Finding[]; failedTransient: Finding[]; failedOther: Finding[] };
  callbacks: { sent: number; acknowledged: number; undelivered: number; notRead: number; byGateway: Record<string, number> };
  requests: { total: number; byStatus: Record<string, number> };
  escDeploymentsEver: number;
}

/** Failures that only say ESC could not take a request for a while. */
const TRANSIENT = /HTTP (5\d\d|429|408)|could not take|gave up after|ECONNRESET|ECONNREFUSED|socket|timed? ?out|unreachable|not reachable|circuit|other side closed|fetch failed|answer was lost/i;
const CREATE_STAGES = ['VM_DEPLOYED', 'VM_ALIVE', 'SERVICE_ALIVE'];
const base = (id: string) => id.replace(/\.r\d+$/, '');

interface AuditCallback {
  id: string;
  stage: string | null;
  esc_transaction_id: string | null;
  outcome: string;
  detail: string | null;
  body: string;
  channel: string;
}
interface AuditEntry {
  id: string;
  step_id: string;
  kind: string;
  internal_id: string;
  operation: string;
  method: string;
  path: string;
  status: string;
  http_status: number | null;
  sent_time: string | null;
  callbacks: AuditCallback[];
}
interface Detail {
  Status: string;
  logs: string;
  actionInstanceDetails: Array<{ type: string; action_status: string; failure?: string; logs: string }>;
  esc: {
    resources: Array<{ kind: string; internal_id: string; status: string }>;
    deployments: Array<{ internal_deployment_id: string; status: string; vms: Array<{ name: string; state: string }> }>;
  };
}

async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function read<T>(cam: Cam, path: string): Promise<T> {
  for (let i = 1; ; i++) {
    const answer = await cam.get<T>(path).catch((e: Error) => ({ status: 0, json: undefined, text: e.message }));
    if (answer.status === 200) return answer.json as T;
    if (i >= 5) throw new Error(`GET ${path}: ${answer.status} ${String(answer.text).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 500 * i));
  }
}

export async function verify(runs: InstanceRun[], gateways: Cam[], esc: EscWatch, callbacks: CallbackWatch, log: (line: string) => void): Promise<Verdict> {
  const v: Verdict = {
    counters: { lost: [], duplicated: [], mismatched: [], orphans: [], stuck: [], failedTransient: [], failedOther: [] },
    callbacks: { sent: 0, acknowledged: 0, undelivered: 0, notRead: callbacks.missed, byGateway: {} },
    requests: { total: 0, byStatus: {} },
    escDeploymentsEver: 0,
  };
  const c = v.counters;
  const details = new Map<string, { run: InstanceRun; detail: Detail; audit: AuditEntry[] }>();
  log(`reading ${runs.filter((r) => r.id).length} instances and their ESC audits`);
  await pool(runs.filter((r) => r.id), 8, async (run) => {
    const cam = gateways[run.index % gateways.length];
    const [detail, audit] = await Promise.all([read<Detail>(cam, `${CAM}/ServiceInstances/${run.id}`), read<AuditEntry[]>(cam, `${CAM}/ServiceInstances/${run.id}/escRequests`)]);
    details.set(run.id!, { run, detail, audit });
  });

  // who owns what: a step's base internal id (ceg-<uuid>, before any .rN of a resend) names its instance
  const owner = new Map<string, { run: InstanceRun; current: Set<string> }>();
  for (const { run, detail, audit } of details.values()) {
    const current = new Set(detail.esc.resources.filter((r) => r.kind === 'deployment').map((r) => r.internal_id));
    for (const id of [...current, ...audit.filter((a) => a.kind === 'deployment').map((a) => a.internal_id)]) owner.set(base(id), { run, current });
  }
  const planned = (run: InstanceRun) => Object.entries(run.faults).map(([op, kind]) => `${op} ${kind}`).join(', ');
  const who = (run: InstanceRun) => ({ instance: `${run.name}${planned(run) ? ` [${planned(run)}]` : ''}`, id: run.id });

  // lost: every callback the gateway acknowledged must be stored with its request, and applied
  const stored = new Map<string, Array<{ cb: AuditCallback; run: InstanceRun }>>();
  for (const { run, audit } of details.values()) {
    for (const r of audit) {
      v.requests.total++;
      v.requests.byStatus[r.status] = (v.requests.byStatus[r.status] ?? 0) + 1;
      for (const cb of r.callbacks) {
        const k = callbackKey({ esc_transaction_id: cb.esc_transaction_id ?? '' }, cb.body);
        const key = `${k.tid}|${cb.stage ?? k.stage}|${k.vm}`;
        stored.set(key, [...(stored.get(key) ?? []), { cb, run }]);
      }
    }
  }
  const created = new Map<string, Set<string>>();
  const addCreated = (id: string) => created.set(base(id), (created.get(base(id)) ?? new Set()).add(id));
  for (const sent of callbacks.bySeq.values()) {
    v.callbacks.sent++;
    const k = callbackKey(sent.headers, sent.body);
    if (k.internalId && CREATE_STAGES.includes(k.stage)) addCreated(k.internalId);
    const acked = sent.attempts.some((a) => a.status !== undefined && a.status >= 200 && a.status < 300);
    if (!acked) {
      if (sent.delivered === false) v.callbacks.undelivered++;
      continue;
    }
    v.callbacks.acknowledged++;
    const gateway = new URL(sent.url).port;
    v.callbacks.byGateway[gateway] = (v.callbacks.byGateway[gateway] ?? 0) + 1;
    const mine = owner.get(base(k.internalId));
    const matches = stored.get(`${k.tid}|${k.stage}|${k.vm}`) ?? [];
    const where = mine ? who(mine.run) : { instance: `(no instance owns ${k.internalId})` };
    if (matches.length === 0) c.lost.push({ ...where, what: `callback #${sent.seq} ${k.stage}${k.vm ? ` of VM ${k.vm}` : ''} (esc-transaction-id ${k.tid}, deployment ${k.internalId}) was answered 2xx but is in no instance's ESC audit` });
  }
  for (const list of stored.values()) {
    for (const { cb, run } of list) {
      if (cb.outcome === 'Received') c.lost.push({ ...who(run), what: `callback ${cb.id} ${cb.stage} (esc-transaction-id ${cb.esc_transaction_id}) stored but never applied (outcome Received)` });
    }
  }
  for (const { run, detail, audit } of details.values()) {
    const settled = ['Active', 'Terminated', 'Error'].includes(detail.Status);
    for (const r of audit) {
      if (r.status === 'Pending') {
        // sent_time on a Pending request is a sender's claim: the sender took it and never finished (it died?)
        const how = r.sent_time ? `claimed for sending at ${r.sent_time} and never answered or released (its sender died?)` : 'never sent again';
        c.lost.push({ ...who(run), what: `${r.method} ${r.path} (step ${r.step_id}) still Pending: ${how}${r.http_status ? `; ESC's last answer HTTP ${r.http_status}` : ''}` });
      }
      else if (r.status === 'Accepted' && settled) c.lost.push({ ...who(run), what: `${r.method} ${r.path} accepted by ESC but never completed, on an instance ${detail.Status}` });
    }
  }

  // duplicated: two ESC deployments, at any time, for one step
  for (const id of esc.ever.keys()) addCreated(id);
  v.escDeploymentsEver = [...created.values()].reduce((n, s) => n + s.size, 0);
  for (const [b, ids] of created) {
    if (ids.size < 2) continue;
    const mine = owner.get(b);
    c.duplicated.push({ ...(mine ? who(mine.run) : { instance: '(none)' }), what: `ESC made ${ids.size} deployments for one step: ${[...ids].join(', ')}` });
  }

  // orphans and mismatches against what ESC holds now
  const held = new Map(esc.now.map((d) => [d.internalId, d]));
  for (const d of esc.now) {
    const mine = owner.get(base(d.internalId));
    if (!mine) c.orphans.push({ instance: '(none)', what: `ESC holds ${d.internalId} (${d.name}, ${d.state}) and no instance owns it` });
    else if (!mine.current.has(d.internalId)) c.orphans.push({ ...who(mine.run), what: `ESC holds ${d.internalId} (${d.state}); the instance's step is ${[...mine.current].join(', ')}` });
  }
  for (const { run, detail } of details.values()) {
    const status = detail.Status;
    for (const dep of detail.esc.deployments) {
      const onEsc = held.get(dep.internal_deployment_id);
      const gone = ['Undeployed', 'Rejected'].includes(dep.status);
      if (status === 'Terminated' && onEsc) c.mismatched.push({ ...who(run), what: `Terminated, but ESC still holds ${dep.internal_deployment_id} (${onEsc.state})` });
      if (status === 'Terminated' && !gone) c.mismatched.push({ ...who(run), what: `Terminated, but its deployment ${dep.internal_deployment_id} is ${dep.status}` });
      if (gone && onEsc && status !== 'Terminated') c.mismatched.push({ ...who(run), what: `deployment ${dep.internal_deployment_id} is ${dep.status}, but ESC holds it (${onEsc.state})` });
      if (status === 'Active' || (status === 'Error' && dep.status === 'Active')) {
        if (!onEsc) c.mismatched.push({ ...who(run), what: `${status} with deployment ${dep.internal_deployment_id} ${dep.status}, but ESC does not hold it` });
        else {
          const vmsOnEsc = new Map(onEsc.vms.map((vm) => [vm.name, vm.state]));
          const problems = [
            ...(onEsc.state === 'SERVICE_ACTIVE_STATE' ? [] : [`ESC's service state is ${onEsc.state}`]),
            ...dep.vms.filter((vm) => vm.state !== 'VM_ALIVE').map((vm) => `VM ${vm.name} is ${vm.state} here`),
            ...dep.vms.filter((vm) => vmsOnEsc.get(vm.name) !== 'VM_ALIVE_STATE').map((vm) => `VM ${vm.name} is ${vmsOnEsc.get(vm.name) ?? 'unknown'} on ESC`),
            ...onEsc.vms.filter((vm) => !dep.vms.some((x) => x.name === vm.name)).map((vm) => `ESC's VM ${vm.name} is not recorded`),
            ...(dep.vms.length === 0 ? ['no VM recorded'] : []),
          ];
          if (problems.length) c.mismatched.push({ ...who(run), what: `${status}, deployment ${dep.internal_deployment_id}: ${problems.join('; ')}` });
        }
      }
    }
    if (status === 'Active' && detail.esc.deployments.length === 0) c.mismatched.push({ ...who(run), what: 'Active without any deployment' });
    if (!run.stuck && run.status && run.status !== status) {
      c.mismatched.push({ ...who(run), what: `settled ${run.status}, but reads ${status} at the end` });
    }
    if (status === 'Error') {
      const failed = [...detail.actionInstanceDetails].reverse().find((a) => a.action_status === 'Failed');
      const why = failed?.failure ?? (failed?.logs ?? detail.logs).split('\n').filter(Boolean).slice(-3).join(' | ');
      const finding = { ...who(run), what: `${failed?.type ?? 'action'} failed: ${why.slice(0, 600)}` };
      (TRANSIENT.test(why) ? c.failedTransient : c.failedOther).push(finding);
    }
  }

  for (const run of runs.filter((r) => r.stuck)) {
    const late = run.lateSettledAt ? `; settled ${run.status} ${((run.lateSettledAt - (run.terminateSubmittedAt ?? run.submittedAt ?? 0)) / 1000).toFixed(1)} s after its last request` : '';
    const lastLog = run.id ? (details.get(run.id)?.detail.logs ?? '').split('\n').filter(Boolean).slice(-2).join(' | ') : '';
    c.stuck.push({ ...who(run), what: `${run.id ? `still ${run.stuckStatus ?? '?'} at its deadline` : 'its deploy was not taken'}${late}${run.apiErrors.length ? `; API: ${run.apiErrors.slice(-2).join(' | ')}` : ''}${lastLog ? `; its log ends: ${lastLog.slice(0, 500)}` : ''}` });
  }
  return v;
}
