/**
 * `npm run db:migrate`: creates the database if it is missing and applies prisma/migrations,
 * recording them in _prisma_migrations like `prisma migrate deploy` (see the README).
 */
import { AppConfig, InvalidEnvironmentError } from '../libs/config/src';
import { applyMigrations, ensureDatabase } from '../libs/persistence/src/migrations/migrate';
import { join } from 'node:path';

export async function migrate(config: AppConfig, log: (line: string) => void): Promise<void> {
  const created = await ensureDatabase(config.databaseUrl);
  if (created) log(`created database ${new URL(config.databaseUrl).pathname.slice(1)}`);
  const result = await applyMigrations(config.databaseUrl, join(__dirname, '..', 'prisma', 'migrations'), log);
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
