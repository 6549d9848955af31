import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { waitFor } from './stack';

/** A TCP port nothing listens on (at the time of asking). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface AppProcess {
  /** The operating system's process id (worker ids, host:pid:random, carry it). */
  pid: number;
  output(): string;
  /** SIGTERM, and waits for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Ends it at once (SIGKILL), as a crash or an OOM kill would. */
  kill(): Promise<void>;
}

export interface GatewayProcess extends AppProcess {
  url: string;
}

/** apps/<app>/src/main.ts in a process of its own, through ts-register.js. */
function spawnApp(app: 'gateway' | 'worker', env: Record<string, string>): { child: ChildProcess; handle: AppProcess } {
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['-r', join(__dirname, 'ts-register.js'), join(__dirname, '..', '..', 'apps', app, 'src', 'main.ts')], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, ...env },
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    handle: {
      pid: child.pid!,
      output: () => output,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        return exited;
      },
      async kill() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      },
    },
  };
}

/**
 * Another gateway replica in a process of its own, on the environment of a running stack: it
 * shares only the database and the queues with the stack's gateway and worker.
 */
export async function startGatewayProcess(env: Record<string, string>, port: number): Promise<GatewayProcess> {
  const { child, handle } = spawnApp('gateway', { ...env, PORT: String(port), LOG_LEVEL: 'warn' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => (child.exitCode !== null ? 'exited' : (await request(url).get('/health').then((r) => r.status).catch(() => 0))),
    // 503: up, with a dependency down (a test may start it so)
    (s) => s === 200 || s === 503 || s === 'exited',
    `the second gateway to answer on ${url}`,
    60_000,
  );
  if (child.exitCode !== null) throw new Error(`the second gateway exited:\n${handle.output()}`);
  return { ...handle, url };
}

/** A worker in a process of its own; resolves once it says it runs. */
export async function startWorkerProcess(env: Record<string, string>): Promise<AppProcess> {
  const { child, handle } = spawnApp('worker', { ...env, LOG_LEVEL: 'info' });
  await waitFor(async () => (child.exitCode !== null ? 'exited' : handle.output()), (o) => o === 'exited' || o.includes('worker running'), 'the worker process to start', 60_000);
  if (child.exitCode !== null) throw new Error(`the worker process exited:\n${handle.output()}`);
  return handle;
}
