/** pgbench's built-in simple-update script on a scratch database of the same server: the floor of transactions per second. */
import { spawnSync } from 'node:child_process';
import { adminQuery, servers } from '../lib/stack';

export interface PgbenchResult {
  tps?: number;
  clients: number;
  seconds: number;
  /** Why there is no figure (pgbench missing, or it failed). */
  missing?: string;
}

export async function measurePgbench(clients: number, seconds: number): Promise<PgbenchResult> {
  const database = `bench_pgbench_${Date.now().toString(36)}`;
  const server = new URL(servers.postgres);
  const conn = ['-h', server.hostname, '-p', server.port || '5432', '-U', decodeURIComponent(server.username || 'postgres')];
  const env = { ...process.env, ...(server.password ? { PGPASSWORD: decodeURIComponent(server.password) } : {}) };
  if (spawnSync('pgbench', ['--version']).status !== 0) return { clients, seconds, missing: 'pgbench is not installed (Debian: postgresql-client)' };
  await adminQuery(`CREATE DATABASE "${database}"`);
  try {
    const init = spawnSync('pgbench', [...conn, '-i', '-q', '-s', '10', database], { encoding: 'utf8', env });
    if (init.status !== 0) return { clients, seconds, missing: `pgbench -i failed: ${init.stderr.trim()}` };
    const run = spawnSync('pgbench', [...conn, '-b', 'simple-update', '-n', '-c', String(clients), '-j', '2', '-T', String(seconds), database], { encoding: 'utf8', env });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout)?.[1];
    if (run.status !== 0 || !tps) return { clients, seconds, missing: `pgbench failed: ${run.stderr.trim() || run.stdout.trim()}` };
    return { tps: Math.round(Number(tps)), clients, seconds };
  } finally {
    await adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
}
