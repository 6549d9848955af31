/**
 * `npm run bench`: starts gateway, worker and esc-sim (zero callback delay) from the build on the
 * machine's PostgreSQL and Redis, measures each hot path against its bare floor in the same run,
 * and writes bench/REPORT.md and bench/report.json. Nothing here asserts a time: it reports.
 * `--smoke` runs every section at tiny sizes (CI runs it so that the bench never rots).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { portInUse } from '../scripts/start/ports';
import Redis from 'ioredis';
import { DEFAULT_REDIS_URL } from '../libs/config/src';
import { redisAnswers } from '../libs/jobs/src/queue-backend';
import { Backend, createBenchService, live, ROOT, servers, Stack } from './lib/stack';
import { BenchReport, Machine, markdown } from './report';
import { LoadSettings, measureAccept } from './sections/accept';
import { measureBatch } from './sections/batch';
import { measureCallbacks } from './sections/callbacks';
import { measureEndToEnd } from './sections/end-to-end';
import { measureLists } from './sections/lists';
import { measurePgbench } from './sections/pgbench';
import { runRenderScenario } from './sections/render';

const SECTIONS = ['accept', 'callbacks', 'end-to-end', 'render', 'lists', 'batch'] as const;
type Section = (typeof SECTIONS)[number];
const int = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v) : NaN);
const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

const program = new Command()
  .name('bench')
  .description('Measure the gateway\'s hot paths against bare floors on this machine and write bench/REPORT.md')
  .option('-n, --instances <n>', 'end to end: deploys to run', int, 200)
  .option('-c, --concurrency <n>', 'end to end: deploy requests in flight at once', int, 20)
  .option('--connections <n>', 'accept and callbacks: autocannon connections', int, 20)
  .option('--seconds <n>', 'accept and callbacks: seconds per round', int, 5)
  .option('--rounds <n>', 'accept and callbacks: rounds per side (floor and gateway alternate)', int, 3)
  .option('--list-sizes <list>', 'lists: instance counts to measure at, comma-separated', (v) => list(v).map(int), [1000, 100000])
  .option('--list-seconds <n>', 'lists: seconds per measured request', int, 5)
  .option('--batch-items <n>', 'batch: items in the one batch', int, 10000)
  .option('--batch-concurrency <n>', 'batch: its concurrency (items running at once)', int, 50)
  .option('--worker-concurrency <n>', 'WORKER_CONCURRENCY of the worker (default: its own)', int)
  .option('--backends <list>', 'queue backends to run end to end on', list, ['redis', 'postgres'])
  .option('--sections <list>', `sections to run (${SECTIONS.join(', ')})`, list, [...SECTIONS])
  .option('--port <port>', 'gateway port', int, 3900)
  .option('--sim-port <port>', 'esc-sim port', int, 8900)
  .option('--floor-port <port>', 'port of the floor servers', int, 3950)
  .option('--postgres-url <url>', 'PostgreSQL server (its maintenance database); the bench makes and drops databases of its own', 'postgresql://postgres@127.0.0.1:5432/postgres')
  .option('--redis-url <url>', 'Redis (the bench uses and deletes keys of its own prefix)', DEFAULT_REDIS_URL)
  .option('--no-build', 'measure the existing build in dist/ (by default the bench builds first, so the report is of this checkout)')
  .option('--cpu-prof <dir>', 'write a V8 CPU profile of gateway, worker and esc-sim into <dir> (open in Chrome DevTools)')
  .option('--smoke', 'every section at tiny sizes, to check the bench itself works')
  .option('--out <dir>', 'where REPORT.md and report.json go', join(ROOT, 'bench'))
  .parse();

type Options = {
  instances: number;
  concurrency: number;
  connections: number;
  seconds: number;
  rounds: number;
  listSizes: number[];
  listSeconds: number;
  workerConcurrency?: number;
  batchItems: number;
  batchConcurrency: number;
  backends: string[];
  sections: string[];
  port: number;
  simPort: number;
  floorPort: number;
  smoke?: boolean;
  cpuProf?: string;
  postgresUrl: string;
  redisUrl: string;
  build: boolean;
  out: string;
};
const opts = program.opts<Options>();
if (opts.smoke) Object.assign(opts, { instances: 4, concurrency: 2, connections: 2, seconds: 1, rounds: 1, listSizes: [20, 200], listSeconds: 1, batchItems: 6, batchConcurrency: 3 });

function check(): void {
  const bad = [
    ...opts.backends.filter((b) => b !== 'redis' && b !== 'postgres').map((b) => `--backends: '${b}' is not redis or postgres`),
    ...opts.sections.filter((s) => !(SECTIONS as readonly string[]).includes(s)).map((s) => `--sections: '${s}' is not one of ${SECTIONS.join(', ')}`),
    ...Object.entries({ instances: opts.instances, concurrency: opts.concurrency, connections: opts.connections, seconds: opts.seconds, rounds: opts.rounds, 'list-seconds': opts.listSeconds, 'batch-items': opts.batchItems, 'batch-concurrency': opts.batchConcurrency })
      .filter(([, v]) => !Number.isInteger(v) || v < 1)
      .map(([k]) => `--${k} must be a whole number ≥ 1`),
    ...(opts.listSizes.some((n) => !Number.isInteger(n) || n < 1) ? ['--list-sizes must be whole numbers ≥ 1'] : []),
    ...Object.entries({ port: opts.port, 'sim-port': opts.simPort, 'floor-port': opts.floorPort })
      .filter(([, v]) => !Number.isInteger(v) || v < 1 || v > 65535)
      .map(([k]) => `--${k} must be a port number (1-65535)`),
  ];
  if (bad.length) program.error(bad.join('\n'));
}

async function machine(): Promise<Machine> {
  const { Client } = await import('pg');
  const pg = new Client({ connectionString: servers.postgres });
  await pg.connect();
  const postgres = (await pg.query<{ v: string }>("SELECT split_part(version(), ' on ', 1) AS v")).rows[0].v;
  await pg.end();
  const redis = new Redis(servers.redis, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const info = await redis.connect().then(() => redis.info('server')).catch(() => '');
  redis.disconnect();
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() || 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() ? ' (with uncommitted changes)' : '';
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres,
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
    commit: commit + dirty,
  };
}

async function main(): Promise<void> {
  check();
  const want = (s: Section) => opts.sections.includes(s);
  const needsStack = opts.sections.some((s) => s !== 'render');
  servers.postgres = opts.postgresUrl;
  servers.redis = opts.redisUrl;
  const missingBuild = ['apps/gateway', 'apps/worker', 'apps/esc-sim', 'migrate/scripts'].some((a) => !existsSync(join(ROOT, 'dist', a)));
  if (needsStack && (opts.build || missingBuild)) {
    if (spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) throw new Error('npm run build failed');
  }
  if (needsStack) {
    for (const [option, port] of [['--port', opts.port], ['--sim-port', opts.simPort], ['--floor-port', opts.floorPort]] as const) {
      const busy = await portInUse(port, '127.0.0.1');
      if (busy) throw new Error(`${option} ${port} cannot be listened on (${busy}): choose another`);
    }
  }
  if (needsStack && !(await redisAnswers(servers.redis))) throw new Error(`no Redis answers on ${servers.redis}: the floors and the accept path need it`);
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: await machine(),
    settings: { ...opts, out: undefined, postgresUrl: undefined, redisUrl: undefined },
    endToEnd: [],
    rendering: want('render') ? [2, 20].map((groups) => (opts.smoke ? runRenderScenario(groups, 1, 50) : runRenderScenario(groups))) : [],
    peakRssMb: {},
  };
  const load: LoadSettings = { rounds: opts.rounds, seconds: opts.seconds, connections: opts.connections, floorPort: opts.floorPort };
  const backends = opts.backends as Backend[];
  if (want('end-to-end')) report.pgbench = await measurePgbench(opts.concurrency, opts.smoke ? 1 : 10);

  for (const backend of needsStack ? backends : []) {
    const main = backend === backends[0];
    if (!main && !want('end-to-end')) continue;
    const stack = new Stack({ backend, port: opts.port, simPort: opts.simPort, callbackDelay: 0, workerConcurrency: opts.workerConcurrency, cpuProfileDir: opts.cpuProf });
    try {
      await stack.create();
      await stack.start('esc-sim');
      await stack.start('gateway');
      const manifest = await createBenchService(stack);
      // the floors use BullMQ on Redis: the comparisons run on the Redis stack only
      if (main && backend === 'redis' && want('accept')) report.accept = await measureAccept(stack, manifest, load);
      if (main && backend === 'redis' && want('callbacks')) report.callbacks = await measureCallbacks(stack, manifest, load);
      await stack.start('worker');
      if (want('end-to-end')) {
        report.endToEnd.push(await measureEndToEnd(stack, manifest, opts.instances, opts.concurrency, opts.smoke ? 1500 : 11_000));
        await stack.clearInstances();
      }
      if (main && want('lists')) report.lists = await measureLists(stack, manifest, opts.listSizes, Math.min(opts.connections, 10), opts.listSeconds);
      if (main && want('batch')) {
        await stack.clearInstances();
        // after the other sections' peaks are taken: it runs on a gateway and a worker of its own
        if (['accept', 'callbacks', 'lists'].some((s) => want(s as Section))) report.peakRssMb.gateway = stack.rss('gateway');
        if (want('end-to-end')) report.peakRssMb.worker = stack.rss('worker');
        report.batch = await measureBatch(stack, manifest, opts.batchItems, opts.batchConcurrency);
      }
      if (main) {
        await Promise.all((['gateway', 'worker'] as const).map((app) => stack.stop(app)));
        // a peak means something only for an app that carried load
        if (!want('batch') && ['accept', 'callbacks', 'lists'].some((s) => want(s as Section))) report.peakRssMb.gateway = stack.peakRss.gateway;
        if (!want('batch') && want('end-to-end')) report.peakRssMb.worker = stack.peakRss.worker;
      }
    } finally {
      await stack.destroy();
    }
  }

  mkdirSync(opts.out, { recursive: true });
  writeFileSync(join(opts.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(opts.out, 'REPORT.md'), markdown(report));
  console.log(`\n${markdown(report)}\nreport: ${join(opts.out, 'REPORT.md')} and report.json`);
}

// interrupted: stop what runs and drop what was made, then go
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}: stopping the apps and dropping the bench databases`);
    void Promise.allSettled([...live].map((x) => x.destroy())).then(() => process.exit(130));
  });
}

main().catch((e) => {
  console.error(`bench failed: ${process.env.BENCH_DEBUG ? ((e as Error).stack ?? e) : (e as Error).message}`);
  process.exit(1);
});

