/** bench/REPORT.md from one run's figures: each path against its floor and its goal, then the details. */
import { Comparison, LoadFigures } from './lib/load';
import { BatchResult } from './sections/batch';
import { EndToEndResult } from './sections/end-to-end';
import { ListRequest, ListsResult } from './sections/lists';
import { PgbenchResult } from './sections/pgbench';
import { RenderResult } from './sections/render';
import { SHORTFALLS, SHORTFALLS_PROFILED_AT } from './shortfalls';

export interface Machine {
  cores: number;
  cpu: string;
  memoryGb: number;
  node: string;
  postgres: string;
  redis: string;
  commit: string;
}

export interface BenchReport {
  date: string;
  machine: Machine;
  settings: Record<string, unknown>;
  accept?: Comparison;
  callbacks?: Comparison;
  pgbench?: PgbenchResult;
  endToEnd: EndToEndResult[];
  rendering: RenderResult[];
  lists?: ListsResult;
  batch?: BatchResult;
  peakRssMb: Partial<Record<'gateway' | 'worker' | 'esc-sim', number>>;
}

export interface GoalRow {
  path: string;
  measured: string;
  floor: string;
  ratio: number | undefined;
  goal: string;
  met: boolean | undefined;
}

const rate = (f: LoadFigures, unit = 'requests/s') => `${f.requestsPerSecond} ${unit}, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms${f.failures ? ` (${f.failures} failed)` : ''}`;

/** The deploy floor of an end-to-end run: pgbench's TPS over the transactions one deploy needs. */
export const endToEndFloor = (e: EndToEndResult, pg?: PgbenchResult) => (pg?.tps && e.transactionsPerDeploy ? Math.round((pg.tps / e.transactionsPerDeploy) * 10) / 10 : undefined);

export function goalRows(r: BenchReport): GoalRow[] {
  const rows: GoalRow[] = [];
  const atLeast = (path: string, measured: string, floor: string, ratio: number | undefined, goal: number) =>
    rows.push({ path, measured, floor, ratio, goal: `≥ ${goal}`, met: ratio === undefined ? undefined : ratio >= goal });
  if (r.accept) atLeast('deploy accept (`POST …/deploy`)', rate(r.accept.gateway), `bare HTTP + JSON + INSERT + BullMQ add: ${rate(r.accept.floor)}`, r.accept.ratio, 0.4);
  if (r.callbacks) atLeast('callback ingest (`POST /esc/callbacks/{token}`)', rate(r.callbacks.gateway, 'callbacks/s'), `bare HTTP + fast-xml-parser + INSERT: ${rate(r.callbacks.floor, 'callbacks/s')}`, r.callbacks.ratio, 0.4);
  for (const e of r.endToEnd) {
    const floor = endToEndFloor(e, r.pgbench);
    atLeast(
      `end to end on the ${e.backend} queue (${e.instances} deploys, ${e.concurrency} at a time)`,
      `${e.deploy.deploysPerSecond} deploys/s; ${e.transactionsPerDeploy} transactions per deploy; deploy answers p50 ${e.deploy.requestMs.p50} ms while the worker runs`,
      floor ? `pgbench simple-update ${r.pgbench!.tps} TPS ÷ ${e.transactionsPerDeploy}: ${floor} deploys/s` : `— (${r.pgbench?.missing ?? 'pgbench not run'})`,
      floor ? Math.round((e.deploy.deploysPerSecond / floor) * 100) / 100 : undefined,
      0.5,
    );
  }
  for (const x of r.rendering) atLeast(`rendering a ${x.vmGroups}-group datamodel (${Math.round(x.bytes / 1024)} KB)`, `${x.engineDatamodelsPerSecond} /s`, `fast-xml-parser's builder: ${x.builderDatamodelsPerSecond} /s`, x.ratioToBuilder, 0.5);
  if (r.lists) {
    const [first, last] = [r.lists.sizes[0], r.lists.sizes[r.lists.sizes.length - 1]];
    const at = (k: ListRequest) => `${first[k].meanMs} ms at ${first.instances.toLocaleString('en')} → ${last[k].meanMs} ms at ${last.instances.toLocaleString('en')} (mean)`;
    const growth = (path: string, k: ListRequest) => rows.push({ path, measured: at(k), floor: '—', ratio: r.lists!.growth[k], goal: '≤ ×1.5', met: r.lists!.growth[k] <= 1.5 });
    growth('`GET ServiceInstances?filter[limit]=50`', 'list');
    growth('`GET ServiceInstances` second page (`skip` 50)', 'listPage2');
    growth('`GET ServiceInstances/{id}`', 'get');
    growth("the console's search for part of a name one instance has (`filter[where][name][ilike]=%LISTS%`)", 'search');
    // what the console's instance table asks for its first page (50 rows, newest first), and its search
    const firstPage = (path: string, k: ListRequest) =>
      rows.push({
        path,
        measured: `p99 ${last[k].p99Ms} ms, mean ${last[k].meanMs} ms at ${last.instances.toLocaleString('en')} instances (${r.lists!.connections} at once)`,
        floor: '—',
        ratio: undefined,
        goal: '< 300 ms',
        met: last[k].p99Ms < 300,
      });
    firstPage("the console's instance table, first page (`GET ServiceInstances?filter[limit]=50`)", 'list');
    firstPage("the console's instance search, first page of a part many names share (`filter[where][name][ilike]=%LIST-42%`)", 'searchCommon');
  }
  const instances = r.lists?.sizes[r.lists.sizes.length - 1]?.instances;
  for (const app of ['gateway', 'worker'] as const) {
    const mb = r.peakRssMb[app];
    if (mb !== undefined) {
      const through = app === 'gateway' ? `through every section on the Redis stack${instances ? `, lists at ${instances.toLocaleString('en')} instances last` : ''}` : 'through every section on the Redis stack';
      rows.push({ path: `peak RSS (VmHWM) of the ${app}`, measured: `${mb} MB ${through}`, floor: '—', ratio: undefined, goal: '< 300 MB', met: mb < 300 });
    }
  }
  if (r.batch) {
    const b = r.batch;
    rows.push({ path: `one batch of ${b.items.toLocaleString('en')} items (\`deployBatch\`, NDJSON, concurrency ${b.concurrency})`, measured: `${b.itemsPerSecond} items/s from the upload's first byte to all Active (${b.wallSeconds} s; the upload checked and written in ${b.submitSeconds} s)`, floor: '—', ratio: undefined, goal: '—', met: undefined });
    for (const app of ['gateway', 'worker'] as const) {
      const mb = b.peakRssMb[app];
      if (mb !== undefined) rows.push({ path: `peak RSS (VmHWM) of the ${app} through the batch`, measured: `${mb} MB (a process started for it)`, floor: '—', ratio: undefined, goal: '< 300 MB', met: mb < 300 });
    }
  }
  return rows;
}

export function markdown(r: BenchReport): string {
  const rows = goalRows(r);
  const m = r.machine;
  const short = rows.filter((row) => row.met === false);
  const lines = [
    `# cam-esc-gateway bench, ${r.date}`,
    '',
    `${m.cores} cores (${m.cpu}), ${m.memoryGb} GB; Node ${m.node}; ${m.postgres}; Redis ${m.redis}; commit ${m.commit}.`,
    `Settings: ${Object.entries(r.settings).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : v}`).join(', ')}.`,
    ...(r.settings.smoke ? ['**Smoke run**: every section at tiny sizes, to check the bench works; its figures and verdicts mean nothing.', ''] : []),
    'Each floor does the least work the same call needs, on the same PostgreSQL and Redis, under the same load generator (autocannon), in rounds alternating with the gateway.',
    '',
    '| path | measured | floor | ratio | goal | |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.path} | ${row.measured} | ${row.floor} | ${row.ratio ?? '—'} | ${row.goal} | ${row.met === undefined ? '' : row.met ? 'met' : '**short**'} |`),
    '',
  ];
  if (short.length) {
    lines.push('## Where a figure falls short, and why', '');
    lines.push(`As profiled at ${SHORTFALLS_PROFILED_AT} (README, Performance); profile this commit with \`--cpu-prof\`.`, '');
    for (const row of short) lines.push(`- **${row.path}**: ${SHORTFALLS.find((s) => s.matches(row.path))?.why ?? 'not yet profiled.'}`);
    lines.push('');
  }
  lines.push('## Details', '');
  for (const e of r.endToEnd) {
    lines.push(
      `End to end on the ${e.backend} queue: deploy wall ${e.deploy.wallSeconds} s; deploy request p50/p95/p99 ${e.deploy.requestMs.p50}/${e.deploy.requestMs.p95}/${e.deploy.requestMs.p99} ms;`,
      `submit → Active p50/p95/max ${e.deploy.submitToActiveMs.p50}/${e.deploy.submitToActiveMs.p95}/${e.deploy.submitToActiveMs.max} ms; terminate wall ${e.terminate.wallSeconds} s, ${e.terminate.transactionsPerTerminate} transactions per terminate; ${e.callbacksApplied} callbacks stored.`,
      '',
    );
  }
  if (r.pgbench) lines.push(r.pgbench.tps ? `pgbench: simple-update, ${r.pgbench.clients} clients, ${r.pgbench.seconds} s: ${r.pgbench.tps} TPS.` : `pgbench: ${r.pgbench.missing}.`, '');
  for (const [name, c] of [['Deploy accept', r.accept], ['Callback ingest', r.callbacks]] as const) {
    if (c) lines.push(`${name}: ${c.rounds} rounds of ${c.secondsPerRound} s per side, ${c.connections} connections; gateway ${c.gateway.requests} requests, floor ${c.floor.requests}.`, '');
  }
  if (r.lists) {
    lines.push(`Lists (${r.lists.connections} connections, ${r.lists.seconds} s each):`, '', '| instances | list limit 50 (mean / p99) | second page | get one | search, one match | search, many matches |', '|---|---|---|---|---|---|');
    const cell = (f: LoadFigures) => `${f.meanMs} / ${f.p99Ms} ms (${f.requestsPerSecond}/s${f.failures ? `, **${f.failures} failed**` : ''})`;
    for (const s of r.lists.sizes) lines.push(`| ${s.instances.toLocaleString('en')} | ${cell(s.list)} | ${cell(s.listPage2)} | ${cell(s.get)} | ${cell(s.search)} | ${cell(s.searchCommon)} |`);
    lines.push('');
  }
  const peaks = Object.entries(r.peakRssMb).filter(([, v]) => v !== undefined);
  if (peaks.length) lines.push(`Peak RSS on the Redis stack: ${peaks.map(([k, v]) => `${k} ${v} MB`).join(', ')}.`, '');
  return lines.join('\n');
}
