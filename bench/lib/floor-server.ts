/** Starts one of bench/floors as its own process, like the gateway, on the stack's database and Redis. */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { FLOOR_TABLES } from '../floors/floor-env';
import { ROOT, Stack, until } from './stack';

export interface FloorServer {
  url: string;
  stop(): Promise<void>;
}

export async function startFloor(stack: Stack, floor: 'bare-deploy' | 'bare-callback', port: number): Promise<FloorServer> {
  const db = await stack.db();
  await db.query(FLOOR_TABLES).finally(() => db.end());
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'floors', `${floor}.ts`)], {
    cwd: ROOT,
    env: { ...stack.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await until(`the ${floor} floor`, async () => (await fetch(url, { method: 'POST', body: '{}' }).catch(() => undefined)) !== undefined, 30_000);
  return {
    url,
    stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM')))),
  };
}
