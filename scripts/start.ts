/**
 * `npm start`: everything for a first try on one machine. Checks PostgreSQL and Redis (and says
 * how to start them), applies migrations, builds if needed, then runs esc-sim (unless ESC_URL
 * points at a real ESC), the worker and the gateway, and prints where to go.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import concurrently from 'concurrently';
import Redis from 'ioredis';
import { Client } from 'pg';
import { AppConfig, InvalidEnvironmentError } from '../libs/config/src';
import { migrate } from './db-migrate';

const root = join(__dirname, '..');
const fixPostgres = (port: string) =>
  [
    `Start it (Debian package):  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start${port === '5432' ? '' : `   (it listens on 5432; DATABASE_URL says ${port})`}`,
    'or with Docker:             docker compose up -d postgres',
    'or point DATABASE_URL at a running server.',
  ].join('\n');
const fixRedis = (port: string) =>
  [
    `Start it (Debian package):  redis-server --daemonize yes --bind 127.0.0.1 --port ${port} --save "" --appendonly no`,
    'or with Docker:             docker compose up -d redis',
    'or point REDIS_URL at a running server.',
  ].join('\n');

async function checkPostgres(config: AppConfig): Promise<void> {
  const url = new URL(config.databaseUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (e) {
    fail(`PostgreSQL is not reachable at ${url.host} (${(e as Error).message}).\n${fixPostgres(url.port || '5432')}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis(config: AppConfig): Promise<void> {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let cause: Error | undefined;
  redis.on('error', (e: Error) => (cause ??= e));
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    fail(`Redis is not reachable at ${withoutCredentials(config.redisUrl)} (${(cause ?? (e as Error)).message}).\n${fixRedis(new URL(config.redisUrl).port || '6379')}`);
  } finally {
    redis.disconnect();
  }
}

function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

function fail(message: string): never {
  console.error(`\nnpm start: ${message}\n`);
  process.exit(1);
}

/** A port another program holds would make our app exit, or worse, answer our health check for it. */
async function checkPortFree(port: number, variable: string, host: string): Promise<void> {
  const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const server = createServer();
    server.once('error', (e) => resolve(e));
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });
  if (error) fail(`port ${port} (${variable}) is not free (${error.code ?? error.message}): stop what uses it, or start with ${variable}=<another port>`);
}

async function waitForHealth(url: string, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function main(): Promise<void> {
  const env = { ...process.env };
  const config = AppConfig.fromEnv(env);
  await checkPostgres(config);
  await checkRedis(config);
  await migrate(config, (line) => console.log(`db: ${line}`));

  const apps = ['gateway', 'worker', 'esc-sim'];
  if (apps.some((a) => !existsSync(join(root, 'dist', 'apps', a, 'main.js')))) {
    console.log('building (first start)...');
    if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) fail('the build failed');
  }
  const runSim = !env.ESC_URL;
  // esc-sim's /_sim API shows every request it got (rendered datamodels, callback URLs): keep it local
  env.ESC_SIM_HOST ??= '127.0.0.1';
  await checkPortFree(config.port, 'PORT', '0.0.0.0');
  if (runSim) await checkPortFree(config.escSimPort, 'ESC_SIM_PORT', env.ESC_SIM_HOST);
  const commands = [
    ...(runSim ? [{ name: 'esc-sim', command: 'node dist/apps/esc-sim/main.js', prefixColor: 'magenta', env }] : []),
    { name: 'worker', command: 'node dist/apps/worker/main.js', prefixColor: 'cyan', env },
    { name: 'gateway', command: 'node dist/apps/gateway/main.js', prefixColor: 'green', env },
  ];
  const { result } = concurrently(commands, { cwd: root, killOthersOn: ['failure'], prefix: 'name' });
  let stopped = false;
  const finished = result.then(
    () => undefined,
    () => {
      stopped = true;
      console.error('\nnpm start: a process stopped (see its log above); the others were stopped too');
      process.exit(1);
    },
  );

  const base = `http://127.0.0.1:${config.port}`;
  if ((await waitForHealth(`${base}/health`, 60_000)) && !stopped) {
    const token = [...config.apiTokens.entries()][0];
    console.log(
      [
        '',
        'cam-esc-gateway is up',
        `  API:    ${base}/cam/composer/api/v1   (templates: ${base}/cam/api/v1/templates)`,
        `  Docs:   ${base}/docs`,
        `  ESC:    ${config.esc.url}${runSim ? '  (the bundled esc-sim)' : ''}`,
        config.usesDefaultApiTokens
          ? `  Token:  Authorization: Bearer ${token[0]}   (tenant ${token[1]}; the development default: set API_TOKENS for anything else)`
          : `  Tokens: from API_TOKENS (${config.apiTokens.size} configured)`,
        `  Try:    curl -H 'Authorization: Bearer ${config.usesDefaultApiTokens ? token[0] : '<token>'}' ${base}/cam/composer/api/v1/ServiceInstances`,
        '',
      ].join('\n'),
    );
  } else {
    console.error(`the gateway did not answer ${base}/health within 60 s; see its log above`);
  }
  await finished;
}

main().catch((e) => fail(e instanceof InvalidEnvironmentError ? e.message : String((e as Error).stack ?? e)));
