/** Starts one of bench/floors as its own process, like the gateway, on the stack's database and Redis. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { FLOOR_TABLES } from '../floors/floor-env';
import { live, ROOT, Stack, stopChild, until } from './stack';

export interface FloorServer {
  url: string;
  destroy(): Promise<void>;
}

export async function startFloor(stack: Stack, floor: 'bare-deploy' | 'bare-callback', port: number): Promise<FloorServer> {
  const db = await stack.db();
  await db.query(FLOOR_TABLES).finally(() => db.end());
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'floors', `${floor}.ts`)], {
    cwd: ROOT,
    // the gateway's pool size with the default worker settings (PrismaService), so both can hold as many connections
    env: { ...stack.env, PORT: String(port), FLOOR_POOL_SIZE: '20' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const server: FloorServer = {
    url,
    destroy: async () => {
      await stopChild(child);
      live.delete(server);
    },
  };
  live.add(server);
  try {
    await until(`the ${floor} floor`, async () => (await fetch(url, { method: 'POST', body: '{}' }).catch(() => undefined)) !== undefined, 30_000);
  } catch (e) {
    await server.destroy();
    throw e;
  }
  return server;
}
