import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * Applies prisma/migrations/<name>/migration.sql the way `prisma migrate deploy` does and records
 * them in the same _prisma_migrations table (same checksum: sha256 of the file), so either tool
 * can take over from the other. Used where Prisma's schema engine cannot be downloaded.
 */
export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

const LOCK_KEY = 72707369; // any constant: serialises concurrent runs (npm start + tests)

export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const dbName = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_-]+$/.test(dbName)) throw new Error(`database name '${dbName}' in DATABASE_URL must be A-Z a-z 0-9 _ -`);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (rowCount) return false;
    await admin.query(`CREATE DATABASE "${dbName}"`);
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === '42P04') return false; // created concurrently
    throw e;
  } finally {
    await admin.end();
  }
}

export async function applyMigrations(databaseUrl: string, migrationsDir: string, log: (line: string) => void = () => {}): Promise<MigrateResult> {
  if (!existsSync(migrationsDir)) throw new Error(`migrations folder ${migrationsDir} does not exist`);
  const names = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(migrationsDir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const done = new Map(rows.map((r) => [r.migration_name, r]));
    for (const name of names) {
      const sql = readFileSync(join(migrationsDir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const previous = done.get(name);
      if (previous?.finished_at) {
        if (previous.checksum !== checksum) log(`warning: migration ${name} was modified after it was applied`);
        result.alreadyApplied.push(name);
        continue;
      }
      if (previous) {
        throw new Error(`migration ${name} failed earlier and is not finished; fix the database, then mark it rolled back (prisma migrate resolve --rolled-back ${name})`);
      }
      const id = randomUUID();
      await client.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [id, checksum, name]);
      try {
        await client.query('BEGIN');
        await client.query(sql);
        await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        await client.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, String((e as Error).message)]);
        throw new Error(`migration ${name} failed: ${(e as Error).message}`);
      }
      log(`applied migration ${name}`);
      result.applied.push(name);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
