/**
 * Once per e2e run: a fresh template database with every migration applied (each suite clones
 * it, see stack.ts) and a Redis key prefix of its own, so runs never see each other's data.
 */
import { join } from 'node:path';
import { Client } from 'pg';
import { applyMigrations, ensureDatabase } from '../../libs/persistence/src/migrations/migrate';
import { testRunSettings } from './settings';

export default async function globalSetup(): Promise<void> {
  const settings = testRunSettings();
  process.env.E2E_RUN_ID = settings.runId;
  const admin = new Client({ connectionString: settings.adminUrl });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`e2e tests need PostgreSQL at ${settings.adminUrl}: ${(e as Error).message}`);
  }
  await admin.end();
  await ensureDatabase(settings.templateDatabaseUrl);
  await applyMigrations(settings.templateDatabaseUrl, join(__dirname, '..', '..', 'prisma', 'migrations'));
}
