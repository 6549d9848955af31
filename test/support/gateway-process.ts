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

export interface GatewayProcess {
  url: string;
  output(): string;
  stop(): Promise<void>;
  /** Ends it at once (SIGKILL), as a crash or an OOM kill would. */
  kill(): Promise<void>;
}

/**
 * Another gateway replica in a process of its own (apps/gateway/src/main.ts, through
 * ts-register.js), on the environment of a running stack: it shares only the database and the
 * queues with the stack's gateway and worker.
 */
export async function startGatewayProcess(env: Record<string, string>, port: number): Promise<GatewayProcess> {
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['-r', join(__dirname, 'ts-register.js'), join(__dirname, '..', '..', 'apps', 'gateway', 'src', 'main.ts')], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' },
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => (child.exitCode !== null ? 'exited' : (await request(url).get('/health').then((r) => r.status).catch(() => 0))),
    // 503: up, with a dependency down (a test may start it so)
    (s) => s === 200 || s === 503 || s === 'exited',
    `the second gateway to answer on ${url}`,
    60_000,
  );
  if (child.exitCode !== null) throw new Error(`the second gateway exited:\n${output}`);
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
