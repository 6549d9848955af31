import { IncomingMessage } from 'node:http';

export function floorEnv() {
  const { DATABASE_URL, REDIS_URL, QUEUE_PREFIX, PORT, FLOOR_POOL_SIZE } = process.env;
  if (!DATABASE_URL || !PORT) throw new Error('a floor server needs DATABASE_URL and PORT');
  return { databaseUrl: DATABASE_URL, redisUrl: REDIS_URL ?? 'redis://127.0.0.1:6379', queuePrefix: QUEUE_PREFIX ?? 'bench-floor', port: Number(PORT), poolSize: Number(FLOOR_POOL_SIZE ?? 10) };
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The tables the floors write to, in the bench's database beside the gateway's. */
export const FLOOR_TABLES = `
  CREATE TABLE IF NOT EXISTS bench_floor_instance (id uuid PRIMARY KEY, name text NOT NULL, request jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  CREATE TABLE IF NOT EXISTS bench_floor_callback (id uuid PRIMARY KEY, transaction_id text, body text NOT NULL, received_at timestamptz NOT NULL DEFAULT now());
`;
