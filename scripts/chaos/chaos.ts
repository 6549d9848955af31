/**
 * One chaos run, start to end: the stack, the service, the instances driven through their
 * deploy and terminate while faults are injected, then the comparison with ESC and the report.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { Cam } from './api';
import { Driver, InstanceRun } from './drive';
import { FaultInjector, GlobalFault, planFaults, random, scheduleGlobalFaults, shuffle } from './faults';
import { CallbackWatch, EscWatch, every, InstanceWatch } from './observe';
import { Progress } from './progress';
import { buildReport, ChaosReport, table } from './report';
import { createChaosService, instanceName } from './service';
import { ChaosStack, StackSettings } from './stack';
import { verify } from './verify';

export interface ChaosOptions extends StackSettings {
  instances: number;
  /** Share of the instances terminated once Active (0..1). */
  terminate: number;
  concurrency: number;
  settleTimeoutSeconds: number;
  goalSeconds: number;
  graceSeconds: number;
  seed: number;
  kills: number;
  flushes: number;
  downs: number;
  downMs: number;
  report?: string;
  keepLogs: boolean;
}

/** The stack of the run in progress, for the signal handlers of run.ts. */
export const current: { stack?: ChaosStack } = {};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChaos(opts: ChaosOptions, log: (line: string) => void = console.log): Promise<ChaosReport> {
  const startedAt = Date.now();
  const rnd = random(opts.seed);
  const stack = (current.stack = new ChaosStack(opts));
  let report: ChaosReport | undefined;
  try {
    await stack.create(log);
    log(`starting esc-sim, ${opts.gateways} gateways and ${opts.workers} workers from ${opts.sources ? 'the TypeScript sources' : 'dist/'} (logs in ${opts.logDir})`);
    await stack.startSim();
    await stack.startGateways();
    await stack.startWorkers(opts.workers);
    log(`stack up after ${((Date.now() - startedAt) / 1000).toFixed(1)} s: esc-sim ${stack.simBase}, gateways ${stack.gatewayUrls.join(' ')}`);
    const gateways = stack.gatewayUrls.map((u) => new Cam(u));
    const manifestId = await createChaosService(gateways[0]);

    const names = Array.from({ length: opts.instances }, (_, i) => instanceName(i + 1));
    const plan = planFaults(names, rnd);
    const terminating = new Set(shuffle(names, rnd).slice(0, Math.round(opts.terminate * names.length)));
    const faults = new FaultInjector(stack, (line) => progress.say(line));
    await faults.addRules(plan);
    const runs: InstanceRun[] = names.map((name, i) => ({ index: i, name, faults: plan.get(name)!, terminate: terminating.has(name), deployGateway: i % gateways.length, apiErrors: [] }));

    const watch = new InstanceWatch(gateways[0]);
    const callbacks = new CallbackWatch(stack);
    const esc = new EscWatch(stack);
    const pollers = [every(1000, () => watch.poll()), every(1000, () => callbacks.poll()), every(2000, () => esc.poll()), every(1000, () => faults.poll())];

    // the stack-wide faults, one after the other, each once its share of the instances has settled
    const fullUntil = Math.max(0.3, Math.min(0.8, (runs.length - opts.concurrency) / runs.length));
    const schedule = scheduleGlobalFaults({ down: opts.downs, kill: opts.kills, flush: opts.flushes }, fullUntil);
    let chain: Promise<void> = Promise.resolve();
    const fire = (fault: GlobalFault) => {
      chain = chain.then(async () => {
        if (fault === 'down') await faults.down(opts.downMs);
        if (fault === 'kill') await faults.killWorker(rnd);
        if (fault === 'flush') await faults.flushRedis();
        // the next stack-wide fault comes once this one is over, not on top of it
        await sleep((fault === 'down' ? opts.downMs : 0) + 2000);
      }).catch((e: Error) => progress.say(`fault ${fault} could not be injected: ${e.message}`));
    };
    const driver: Driver = new Driver(runs, gateways, manifestId, watch, faults, { concurrency: opts.concurrency, settleTimeoutMs: opts.settleTimeoutSeconds * 1000 }, () => {
      while (schedule.length && driver.work >= schedule[0].at) fire(schedule.shift()!.fault);
    });
    const count = (pred: (r: InstanceRun) => boolean) => runs.filter(pred).length;
    const progress = new Progress({
      get done() {
        return driver.done;
      },
      total: runs.length,
      line: () => {
        const statuses: Record<string, number> = {};
        for (const r of runs) if (r.id && !r.settledAt && !r.stuck) statuses[watch.byId.get(r.id)?.status ?? 'Submitted'] = (statuses[watch.byId.get(r.id)?.status ?? 'Submitted'] ?? 0) + 1;
        const inFlight = Object.entries(statuses).map(([s, n]) => `${s} ${n}`).join(', ') || 'none';
        return `in flight: ${inFlight}; Error ${count((r) => r.status === 'Error')}, stuck ${count((r) => !!r.stuck)}; faults ${faults.events.length + Object.values(faults.hitsByKind).reduce((a, b) => a + b, 0)}; ${((Date.now() - startedAt) / 1000).toFixed(0)} s`;
      },
    });
    log(`deploying ${runs.length} instances (${terminating.size} terminated once Active), ${opts.concurrency} at a time; faults planned on ${count((r) => !!r.faults.create)} creates and ${count((r) => !!r.faults.delete)} deletes; then ${schedule.map((s) => s.fault).join(', ')}`);
    progress.start();
    const { released, pipelines } = driver.start();
    await released;
    if (runs.some((r) => r.stuck && r.id)) {
      progress.say(`stuck: ${count((r) => !!r.stuck)}; watching them ${opts.graceSeconds} s more`);
      await Promise.race([pipelines, sleep(opts.graceSeconds * 1000)]);
    }
    driver.abort();
    await pipelines;
    await chain;
    await Promise.all(faults.starting);
    progress.stop();

    // what esc-sim still delivers (a callback retried) is part of the record
    for (let end = Date.now() + 15_000; Date.now() < end; ) {
      await callbacks.poll();
      if (callbacks.delivering === 0) break;
      await sleep(500);
    }
    await Promise.all(pollers.map((p) => p.stop()));
    await Promise.all([watch.poll(), callbacks.poll(), esc.poll(), faults.poll()]);
    if (esc.errors && !esc.now.length) await esc.poll();
    const verdict = await verify(runs, gateways, esc, callbacks, log);
    report = buildReport({
      settings: { ...opts, postgresUrl: undefined, redisUrl: undefined, logDir: undefined },
      database: stack.database,
      queuePrefix: stack.queuePrefix,
      startedAt,
      runs,
      verdict,
      lastFaultAt: faults.lastFaultAt,
      events: faults.events,
      ruleHits: faults.hitsByKind,
      downHits: faults.downHits,
      plannedNotHit: faults.unhit().length,
      goalSeconds: opts.goalSeconds,
      crashed: [...stack.crashed().map((a) => `${a.name} (exit ${a.child.exitCode ?? a.child.signalCode}; see ${a.logFile})`), ...faults.failedStarts],
      logDir: opts.logDir,
    });
    log(table(report, startedAt));
    if (opts.report) writeFileSync(opts.report, `${JSON.stringify(report, null, 2)}\n`);
    return report;
  } finally {
    log(`stopping the apps, dropping database ${stack.database} and the Redis keys of ${stack.queuePrefix}`);
    await stack.destroy();
    current.stack = undefined;
    if (report?.ok && !opts.keepLogs) rmSync(opts.logDir, { recursive: true, force: true });
  }
}
