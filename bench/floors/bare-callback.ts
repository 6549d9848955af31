/**
 * The floor of an ESC callback: bare Node HTTP, fast-xml-parser on the body, one INSERT, on the
 * same PostgreSQL as the gateway.
 */
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { Pool } from 'pg';
import { readBody, floorEnv } from './floor-env';

const env = floorEnv();
const pool = new Pool({ connectionString: env.databaseUrl, max: env.poolSize });
const parser = new XMLParser();

createServer(async (req, res) => {
  try {
    const body = await readBody(req);
    const doc = parser.parse(body) as Record<string, any>;
    const id = randomUUID();
    const transactionId = (Object.values(doc)[0] as { esc_transaction_id?: string } | undefined)?.esc_transaction_id ?? null;
    await pool.query('INSERT INTO bench_floor_callback (id, transaction_id, body) VALUES ($1, $2, $3)', [id, transactionId, body]);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: id }));
  } catch (e) {
    res.writeHead(500).end(String(e));
  }
}).listen(env.port, '127.0.0.1');
