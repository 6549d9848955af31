import { deleteRedisKeys } from '../../libs/jobs/src/queue-backend';
import { Client } from 'pg';
import { testRunSettings } from './settings';

/** Drops the run's databases and Redis keys. */
export default async function globalTeardown(): Promise<void> {
  const settings = testRunSettings();
  const admin = new Client({ connectionString: settings.adminUrl });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${settings.databasePrefix}%`]);
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.end();
  // the PostgreSQL queue backend kept its jobs in the databases dropped above; Redis may not even run
  await deleteRedisKeys(settings.redisUrl, `${settings.queuePrefix}*`);
}
