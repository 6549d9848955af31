/**
 * Where the e2e tests find PostgreSQL and Redis: the machine's defaults, or TEST_DATABASE_URL /
 * TEST_REDIS_URL. Names carry a run id (set by global-setup, inherited by the test workers).
 */
export function testRunSettings() {
  const runId = (process.env.E2E_RUN_ID ??= `${Date.now().toString(36)}${process.pid.toString(36)}`);
  const server = new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  const databasePrefix = `cam_esc_e2e_${runId}`;
  const dbUrl = (name: string) => {
    const u = new URL(server.toString());
    u.pathname = `/${name}`;
    return u.toString();
  };
  return {
    runId,
    adminUrl: dbUrl('postgres'),
    databasePrefix,
    templateDatabase: `${databasePrefix}_template`,
    templateDatabaseUrl: dbUrl(`${databasePrefix}_template`),
    databaseUrl: dbUrl,
    redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    queuePrefix: `cam-esc-e2e-${runId}`,
    /** Set per Jest project (see jest.config.js); each suite's database then holds its queues. */
    queueBackend: (process.env.E2E_QUEUE_BACKEND === 'postgres' ? 'postgres' : 'redis') as 'redis' | 'postgres',
  };
}
