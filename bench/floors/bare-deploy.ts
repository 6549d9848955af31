/**
 * The floor of a deploy request: bare Node HTTP, JSON parse, one INSERT, one BullMQ add, on the
 * same PostgreSQL and Redis as the gateway, with a pool as large as the gateway's and the same job options.
 */
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { readBody, floorEnv } from './floor-env';

const env = floorEnv();
const pool = new Pool({ connectionString: env.databaseUrl, max: env.poolSize });
const queue = new Queue('bench-floor-flow', { connection: { url: env.redisUrl }, prefix: env.queuePrefix });

createServer(async (req, res) => {
  try {
    const body = JSON.parse(await readBody(req)) as { name: string };
    const id = randomUUID();
    await pool.query('INSERT INTO bench_floor_instance (id, name, request) VALUES ($1, $2, $3)', [id, body.name, body]);
    await queue.add('run-action', { serviceInstanceId: id }, { jobId: `run-action.${id}.start`, attempts: 5, removeOnComplete: { age: 3600, count: 10000 } });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, name: body.name, status: 'Submitted' }));
  } catch (e) {
    res.writeHead(500).end(String(e));
  }
}).listen(env.port, '127.0.0.1');
