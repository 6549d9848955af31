/**
 * `npm start`: everything for a first try on one machine, with nothing but Node installed.
 * Builds if needed; uses the PostgreSQL of DATABASE_URL (or one on the default address) or
 * starts an embedded one; picks the queue backend (Redis when there is one, else PostgreSQL);
 * migrates; then runs esc-sim (unless ESC_URL points at a real ESC), the worker and the gateway,
 * says what it chose and why, and prints where to go. Ctrl-C stops the apps, then the database.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Command } from 'commander';
import concurrently from 'concurrently';
import { AppConfig, InvalidEnvironmentError } from '../libs/config/src';
import { chooseQueueBackend } from '../libs/jobs/src/queue-backend';
import { migrate } from './db-migrate';
import { appCommand } from './start/app-command';
import { EmbeddedPostgresServer } from './start/embedded-postgres';
import { portInUse } from './start/ports';
import { checkRedis, chooseDatabase, StartError, withoutCredentials } from './start/services';

const root = join(__dirname, '..');
const DATABASE_NAME = 'cam_esc_gateway';
let embedded: EmbeddedPostgresServer | undefined;

const say = (line: string) => console.log(`npm start: ${line}`);

async function fail(message: string): Promise<never> {
  console.error(`\nnpm start: ${message}\n`);
  await stopDatabase();
  process.exit(1);
}

async function stopDatabase(): Promise<void> {
  const server = embedded;
  embedded = undefined;
  if (!server) return;
  if (await server.stop()) server.release();
  else console.error('npm start: the embedded PostgreSQL did not stop within 30 s');
}

/** A port another program holds would make our app exit, or worse, answer our health check for it. */
async function checkPortFree(port: number, what: string, host: string): Promise<void> {
  const error = await portInUse(port, host);
  if (error) throw new StartError(`port ${port} (${what}) is not free (${error}): stop what uses it, or start with ${what}=<another port>`);
}

async function waitForHealth(url: string, timeoutMs: number, givenUp: () => boolean): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end && !givenUp()) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

function buildIfNeeded(): void {
  const apps = ['gateway', 'worker', 'esc-sim'];
  if (apps.every((a) => existsSync(join(root, 'dist', 'apps', a, 'main.js'))) && existsSync(join(root, 'dist', 'console', 'index.html'))) return;
  say('building (first start)...');
  if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new StartError('the build failed');
}

/** Decides and prepares the database and the queue backend; returns the variables the apps then get. */
async function prepareServices(env: NodeJS.ProcessEnv, options: { embeddedPostgres: boolean; postgresPort: number }): Promise<AppConfig> {
  const initial = AppConfig.fromEnv(env);
  const database = await chooseDatabase(initial, options.embeddedPostgres);
  if (database.mode === 'embedded') {
    embedded = new EmbeddedPostgresServer({ dataDir: initial.dataDir ?? join(root, '.data'), dataDirIsDefault: !initial.dataDir, port: options.postgresPort, log: say });
    await embedded.start();
    env.DATABASE_URL = embedded.url(DATABASE_NAME);
    say(`database: embedded PostgreSQL on 127.0.0.1:${options.postgresPort}, data in ${embedded.dataDirectory} (${database.reason})`);
  } else {
    say(`database: ${withoutCredentials(initial.databaseUrl)} (${database.reason})`);
  }
  const queue = await chooseQueueBackend(AppConfig.fromEnv(env));
  if (queue.kind === 'redis' && !queue.reason.startsWith('Redis answers')) await checkRedis(initial);
  env.QUEUE_BACKEND = queue.kind; // decided once here, so the gateway and the worker agree
  say(`queue: BullMQ on ${queue.kind === 'redis' ? `Redis at ${withoutCredentials(initial.redisUrl)}` : 'PostgreSQL (schema bullmq of the same database)'} (${queue.reason})`);
  if (database.mode === 'embedded' || queue.kind === 'postgres') {
    say('for an external PostgreSQL and Redis (production, several workers): DATABASE_URL=postgresql://... REDIS_URL=redis://... npm start (README, "Running in production")');
  }
  const config = AppConfig.fromEnv(env);
  await migrate(config, (line) => say(`db: ${line}`));
  return config;
}

async function main(): Promise<void> {
  const options = new Command()
    .name('npm start --')
    .description('Start esc-sim, the worker and the gateway on one machine')
    .option('--embedded-postgres', 'use the embedded PostgreSQL even when one answers on the default address')
    .option('--postgres-port <port>', 'port of the embedded PostgreSQL', (v) => parseInt(v, 10), 54329)
    .parse()
    .opts<{ embeddedPostgres?: boolean; postgresPort: number }>();
  const env = { ...process.env };
  // until the apps run, a signal ends the start-up (and the database, if it was started)
  let appsStarted = false;
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      stopping = true; // once the apps run, concurrently stops them and main() goes on below
      if (!appsStarted) void stopDatabase().then(() => process.exit(130));
    });
  }
  buildIfNeeded();
  const config = await prepareServices(env, { embeddedPostgres: Boolean(options.embeddedPostgres), postgresPort: options.postgresPort });

  const runSim = !env.ESC_URL;
  // esc-sim's /_sim API shows every request it got (rendered datamodels, callback URLs): keep it local
  env.ESC_SIM_HOST ??= '127.0.0.1';
  await checkPortFree(config.port, 'PORT', '0.0.0.0');
  if (runSim) await checkPortFree(config.escSimPort, 'ESC_SIM_PORT', env.ESC_SIM_HOST);
  const commands = [
    // the same commands as npm run start:<app> (with their heap settings)
    ...(runSim ? [{ name: 'esc-sim', command: appCommand('esc-sim'), prefixColor: 'magenta', env }] : []),
    { name: 'worker', command: appCommand('worker'), prefixColor: 'cyan', env },
    { name: 'gateway', command: appCommand('gateway'), prefixColor: 'green', env },
  ];
  appsStarted = true;
  const { result } = concurrently(commands, { cwd: root, killOthersOn: ['failure'], prefix: 'name' });
  let ended = false;
  const finished = result
    .then(
      () => true,
      () => false,
    )
    .finally(() => (ended = true));

  const base = `http://127.0.0.1:${config.port}`;
  const up = await waitForHealth(`${base}/health`, 60_000, () => ended || stopping);
  if (up && !stopping) {
    const token = [...config.apiTokens.entries()][0];
    console.log(
      [
        '',
        'cam-esc-gateway is up',
        `  API:    ${base}/cam/composer/api/v1   (templates: ${base}/cam/api/v1/templates)`,
        `  Docs:   ${base}/docs`,
        `  Console: ${base}/console/`,
        `  ESC:    ${config.esc.url}${runSim ? '  (the bundled esc-sim)' : ''}`,
        config.usesDefaultApiTokens
          ? `  Token:  Authorization: Bearer ${token[0]}   (tenant ${token[1].tenantId}; the development default: set API_TOKENS for anything else)`
          : `  Tokens: from API_TOKENS (${config.apiTokens.size} configured)`,
        `  Try:    curl -H 'Authorization: Bearer ${config.usesDefaultApiTokens ? token[0] : '<token>'}' ${base}/cam/composer/api/v1/ServiceInstances`,
        ...(embedded ? [`  DB:     DATABASE_URL=${withoutCredentials(config.databaseUrl)}   (the embedded PostgreSQL, while npm start runs; password in ${embedded.passwordFile})`] : []),
        '',
      ].join('\n'),
    );
  } else if (!stopping && !ended) {
    console.error(`the gateway did not answer ${base}/health within 60 s; see its log above`);
  }
  const ok = await finished;
  if (!stopping && !ok) await fail('a process stopped (see its log above); the others were stopped too');
  if (embedded) say('stopping the embedded PostgreSQL');
  await stopDatabase();
  process.exit(0);
}

main().catch((e) => fail(e instanceof InvalidEnvironmentError || e instanceof StartError ? e.message : String((e as Error).stack ?? e)));
