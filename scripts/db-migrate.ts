/**
 * `npm run db:migrate`: creates the database if it is missing and applies prisma/migrations,
 * recording them in _prisma_migrations like `prisma migrate deploy` (see the README). `npm run
 * build` also compiles it to dist/migrate/scripts/db-migrate.js, which the production image runs
 * (it has no tsx).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppConfig, InvalidEnvironmentError } from '../libs/config/src';
import { applyMigrations, ensureDatabase } from '../libs/persistence/src/migrations/migrate';

/** prisma/migrations of the checkout (or image) this file runs from, as source or compiled. */
function migrationsDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'prisma', 'migrations'))) return join(dir, 'prisma', 'migrations');
  }
  throw new Error(`no prisma/migrations folder above ${__dirname}`);
}

export async function migrate(config: AppConfig, log: (line: string) => void): Promise<void> {
  const created = await ensureDatabase(config.databaseUrl);
  if (created) log(`created database ${new URL(config.databaseUrl).pathname.slice(1)}`);
  const result = await applyMigrations(config.databaseUrl, migrationsDir(), log);
  log(`migrations: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
}

if (require.main === module) {
  (async () => {
    const config = AppConfig.fromEnv();
    await migrate(config, (line) => console.log(line));
  })().catch((e) => {
    console.error(e instanceof InvalidEnvironmentError ? e.message : `db:migrate failed: ${(e as Error).message}`);
    process.exit(1);
  });
}
