/**
 * `npm run chaos`: deploys and terminates many instances across several gateway and worker
 * processes while ESC misbehaves (503s with Retry-After, 500s, lost answers, dropped requests,
 * slow answers, a down period), a worker is SIGKILLed and replaced and Redis is "restarted empty";
 * then compares every instance with esc-sim's own record and prints what was lost, duplicated,
 * mismatched, orphaned or stuck. Exits 1 when any counter is not 0. `--smoke` is the small run CI
 * makes (test/chaos-smoke.e2e-spec.ts).
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { Client } from 'pg';
import { DEFAULT_REDIS_URL } from '../../libs/config/src';
import { redisAnswers } from '../../libs/jobs/src/queue-backend';
import { ChaosOptions, current, runChaos } from './chaos';
import { distComplete, ROOT } from './stack';

const int = (v: string) => {
  if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError('must be a whole number');
  return Number(v);
};
const fraction = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('must be a fraction between 0 and 1 (1: every instance)');
  return n;
};

const program = new Command()
  .name('chaos')
  .description('Deploy and terminate many instances while faults are injected, then compare every instance with what ESC (esc-sim) holds')
  .option('-n, --instances <n>', 'instances to deploy', int, 500)
  .option('--gateways <n>', 'gateway processes (deploys go round-robin, callbacks land on any)', int, 2)
  .option('--workers <n>', 'worker processes', int, 3)
  .option('--terminate [fraction]', 'terminate every instance once Active, or this share of them', fraction, 1)
  .option('--no-terminate', 'leave every instance Active (checked against ESC as such)')
  .option('-c, --concurrency <n>', 'instances in flight at once', int, 40)
  .option('--settle-timeout <s>', 'an instance not settled this long after the later of the last fault and its own last request is stuck', int, 30)
  .option('--goal <s>', 'the goal for the slowest settle after the last fault', int, 30)
  .option('--grace <s>', 'how long stuck instances are still watched, to see whether they settle late', int, 60)
  .option('--kills <n>', 'workers SIGKILLed (and replaced) during the run', int, 2)
  .option('--flushes <n>', 'times Redis is "restarted empty" (the run\'s keys deleted)', int, 2)
  .option('--downs <n>', 'times ESC is away for --down-ms', int, 2)
  .option('--down-ms <ms>', 'length of each ESC down period', int, 2000)
  .option('--callback-delay <ms>', "esc-sim's pause before each callback", int, 30)
  .option('--seed <n>', 'seed of the fault plan (which instance gets which fault, which worker is killed)', int)
  .option('--smoke', 'a small run (20 instances, 1 worker kill, 1 Redis flush, 1 down period), as CI makes it')
  .option('--no-build', 'run the existing build in dist/ (or, without one, the TypeScript sources) instead of building first')
  .option('--sources', 'run the apps from the TypeScript sources (test/support/ts-register.js), not from dist/')
  .option('--report <file>', 'write the figures as JSON to <file>')
  .option('--log-level <level>', "the apps' LOG_LEVEL (their output goes to files in --logs)", 'warn')
  .option('--logs <dir>', "where the apps' output goes (kept when the run fails or with --keep-logs)")
  .option('--keep-logs', "keep the apps' output even when the run passes")
  .option('--postgres-url <url>', 'PostgreSQL server (its maintenance database); the run makes and drops a database chaos_<id>', 'postgresql://postgres@127.0.0.1:5432/postgres')
  .option('--redis-url <url>', 'Redis; the run uses and deletes keys of its own prefix {chaos-<id>}', DEFAULT_REDIS_URL)
  .parse();

type Cli = {
  instances: number; gateways: number; workers: number; terminate: number | boolean; concurrency: number;
  settleTimeout: number; goal: number; grace: number; kills: number; flushes: number; downs: number; downMs: number;
  callbackDelay: number; seed?: number; smoke?: boolean; build: boolean; sources?: boolean; report?: string;
  logLevel: string; logs?: string; keepLogs?: boolean; postgresUrl: string; redisUrl: string;
};

function options(): ChaosOptions {
  const o = program.opts<Cli>();
  const given = (name: string) => program.getOptionValueSource(name) === 'cli';
  if (o.smoke) {
    const small = { instances: 20, concurrency: 10, kills: 1, flushes: 1, downs: 1, downMs: 1500 };
    for (const [k, v] of Object.entries(small)) if (!given(k)) Object.assign(o, { [k]: v });
  }
  const bad = [
    ...(['instances', 'gateways', 'workers', 'concurrency', 'settleTimeout', 'goal'] as const).filter((k) => o[k] < 1).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be at least 1`),
    ...(o.downMs < 1 || o.downMs > 600_000 ? ['--down-ms must be 1..600000'] : []),
  ];
  if (bad.length) program.error(bad.join('\n'));
  const seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
  const terminate = o.terminate === true ? 1 : o.terminate === false ? 0 : o.terminate;
  return {
    instances: o.instances, gateways: o.gateways, workers: o.workers, terminate, concurrency: o.concurrency,
    settleTimeoutSeconds: o.settleTimeout, goalSeconds: o.goal, graceSeconds: o.grace, seed,
    kills: o.kills, flushes: o.flushes, downs: o.downs, downMs: o.downMs, callbackDelayMs: o.callbackDelay,
    report: o.report, keepLogs: !!o.keepLogs, logLevel: o.logLevel, logDir: o.logs ?? join(tmpdir(), `chaos-logs-${Date.now().toString(36)}`),
    postgresUrl: o.postgresUrl, redisUrl: o.redisUrl,
    sources: !!o.sources || (!o.build && !distComplete()),
  };
}

async function preflight(opts: ChaosOptions): Promise<void> {
  const pg = new Client({ connectionString: opts.postgresUrl });
  try {
    await pg.connect();
  } catch (e) {
    throw new Error(`PostgreSQL does not answer at ${opts.postgresUrl}: ${(e as Error).message}`);
  } finally {
    await pg.end().catch(() => undefined);
  }
  if (!(await redisAnswers(opts.redisUrl))) throw new Error(`no Redis answers on ${opts.redisUrl}`);
}

async function main(): Promise<number> {
  const opts = options();
  if (program.opts<Cli>().build && !opts.sources) {
    console.log('building (npm run build; --no-build skips it)');
    if (spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) throw new Error('npm run build failed');
  } else if (opts.sources && !program.opts<Cli>().sources) console.log('dist/ is incomplete: running the apps from the TypeScript sources');
  await preflight(opts);
  const report = await runChaos(opts);
  return report.ok ? 0 : 1;
}

// interrupted: stop the apps, drop the database and the Redis keys, then go
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\nchaos: ${signal}: stopping the apps, dropping the database and the Redis keys`);
    void (current.stack?.destroy() ?? Promise.resolve()).catch(() => undefined).then(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`chaos failed: ${process.env.CHAOS_DEBUG ? (e.stack ?? e) : e.message}`);
    process.exit(2);
  },
);
