/**
 * List and get latency as the instance table grows: one real deployed instance is copied in SQL
 * (with its action and resource) up to each size, and the same requests are timed at each size.
 */
import { Client } from 'pg';
import { load, LoadFigures } from '../lib/load';
import { deployBody, Stack, TOKEN, until } from '../lib/stack';

export interface ListSize {
  instances: number;
  list: LoadFigures;
  listPage2: LoadFigures;
  get: LoadFigures;
  /** the console's search for part of a name, any case, that one instance has (the trigram index finds it) */
  search: LoadFigures;
  /** a search that thousands of names match at 100,000 (the newest 50 of them) */
  searchCommon: LoadFigures;
}

export type ListRequest = 'list' | 'listPage2' | 'get' | 'search' | 'searchCommon';

export interface ListsResult {
  sizes: ListSize[];
  /** mean latency at the largest size ÷ at the smallest, per request */
  growth: Record<ListRequest, number>;
  connections: number;
  seconds: number;
}

/** Copies the template instance's row of `table` once per row of `ids`, new ids and names, the rest as it is. */
async function copyRows(db: Client, table: string, where: string, expressions: Record<string, string>): Promise<void> {
  const { rows } = await db.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table]);
  const columns = rows.map((r) => r.column_name);
  const select = columns.map((c) => expressions[c] ?? `t."${c}"`).join(', ');
  await db.query(`INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) SELECT ${select} FROM bench_ids i, (SELECT * FROM ${table} WHERE ${where} LIMIT 1) t`);
}

async function grow(db: Client, template: string, from: number, to: number): Promise<void> {
  if (to < from) return;
  await db.query('DROP TABLE IF EXISTS bench_ids');
  await db.query('CREATE UNLOGGED TABLE bench_ids AS SELECT g, gen_random_uuid() AS sid, gen_random_uuid() AS aid, gen_random_uuid() AS rid FROM generate_series($1::int, $2::int) g', [from, to]);
  const tpl = `'${template}'`;
  const createdAt = `t.created_at - i.g * interval '1 second'`;
  await db.query('BEGIN');
  await copyRows(db, 'service_instance', `id = ${tpl}`, { id: 'i.sid', name: `'bench-list-' || i.g`, current_action_instance_id: 'NULL', created_at: createdAt });
  await copyRows(db, 'action_instance', `service_instance_id = ${tpl}`, { id: 'i.aid', service_instance_id: 'i.sid', created_at: createdAt });
  await copyRows(db, 'esc_resource', `service_instance_id = ${tpl}`, { id: 'i.rid', service_instance_id: 'i.sid', internal_id: `'bench-list-' || i.g`, created_at: createdAt });
  await db.query('UPDATE service_instance s SET current_action_instance_id = i.aid FROM bench_ids i WHERE s.id = i.sid');
  await db.query('COMMIT');
  await db.query('DROP TABLE bench_ids');
  await db.query('ANALYZE service_instance; ANALYZE action_instance; ANALYZE esc_resource');
}

export async function measureLists(stack: Stack, manifest: string, sizes: number[], connections: number, seconds: number): Promise<ListsResult> {
  const deploy = await stack.api('POST', `/cam/composer/api/v1/ServiceManifest/${manifest}/deploy`, deployBody('lists'));
  if (deploy.status !== 200) throw new Error(`deploy answered ${deploy.status}: ${JSON.stringify(deploy.json)}`);
  const template = deploy.json.id as string;
  await until('the lists bench instance to be Active', async () => (await stack.api('GET', `/cam/composer/api/v1/ServiceInstances/${template}`)).json?.Status === 'Active', 60_000, 200);
  const db = await stack.db();
  const headers = { authorization: `Bearer ${TOKEN}` };
  const base = `${stack.base}/cam/composer/api/v1/ServiceInstances`;
  const measured: ListSize[] = [];
  try {
    let stored = 1;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      await grow(db, template, stored, size - 1);
      stored = Math.max(stored, size);
      const [{ id: middle }] = (await db.query<{ id: string }>('SELECT id FROM service_instance ORDER BY created_at OFFSET $1 LIMIT 1', [Math.floor(size / 2)])).rows;
      const page2 = encodeURIComponent(JSON.stringify({ limit: 50, skip: 50 }));
      const targets = {
        list: { url: `${base}?filter[limit]=50`, method: 'GET' as const, headers },
        listPage2: { url: `${base}?filter=${page2}`, method: 'GET' as const, headers },
        get: { url: `${base}/${middle}`, method: 'GET' as const, headers },
        // 'LISTS' is part of the first instance's name (bench-lists) only, the copies being bench-list-<n>: one match at every size
        search: { url: `${base}?filter[limit]=50&filter[where][name][ilike]=${encodeURIComponent('%LISTS%')}`, method: 'GET' as const, headers },
        // 'LIST-42' is part of bench-list-42, -420…-429, -4200…-4299, …: 11 names at 1,000, 1,111 at 100,000
        searchCommon: { url: `${base}?filter[limit]=50&filter[where][name][ilike]=${encodeURIComponent('%LIST-42%')}`, method: 'GET' as const, headers },
      };
      // warm (plans, caches, JIT) before each size, so the first size is not measured cold
      for (const target of Object.values(targets)) await load(target, connections, 1);
      measured.push({
        instances: size,
        list: await load(targets.list, connections, seconds),
        listPage2: await load(targets.listPage2, connections, seconds),
        get: await load(targets.get, connections, seconds),
        search: await load(targets.search, connections, seconds),
        searchCommon: await load(targets.searchCommon, connections, seconds),
      });
    }
  } finally {
    await db.end();
  }
  const first = measured[0];
  const last = measured[measured.length - 1];
  const growth = (k: ListRequest) => Math.round((last[k].meanMs / first[k].meanMs) * 100) / 100;
  return { sizes: measured, growth: { list: growth('list'), listPage2: growth('listPage2'), get: growth('get'), search: growth('search'), searchCommon: growth('searchCommon') }, connections, seconds };
}
