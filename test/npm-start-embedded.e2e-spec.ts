import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { firstDeploy, freePort, NpmStart, runNpmStart, untilSettled, untilUp } from './support/npm-start';

/**
 * The zero-install start: no DATABASE_URL, an embedded PostgreSQL (on a free port, in a temporary
 * DATA_DIR) and BullMQ on PostgreSQL. CI's machine has a PostgreSQL on 5432 and a Redis on 6379,
 * so the test asks for the embedded server and the PostgreSQL queue backend explicitly: the
 * automatic choice between them is unit-tested (scripts/start/services.spec.ts,
 * libs/jobs/src/queue-backend.spec.ts).
 */
describe('npm start with an embedded PostgreSQL and the PostgreSQL queue backend', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cam-esc-embedded-'));
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  let start: NpmStart | undefined;
  let env: Record<string, string>;
  let args: string[];
  let base: string;

  beforeAll(async () => {
    const [port, simPort, pgPort] = [await freePort(), await freePort(), await freePort()];
    env = { PORT: String(port), ESC_SIM_PORT: String(simPort), DATA_DIR: dataDir, QUEUE_BACKEND: 'postgres', DATABASE_URL: '', REDIS_URL: '' };
    args = ['--embedded-postgres', '--postgres-port', String(pgPort)];
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await start?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('initialises the database, says what it chose and why, deploys to Active and terminates', async () => {
    start = runNpmStart(env, args);
    await untilUp(start);
    const output = start.output();
    expect(output).toContain(`npm start: initialising a new PostgreSQL data directory in ${join(dataDir, 'postgres')}`);
    expect(output).toMatch(/npm start: database: embedded PostgreSQL on 127\.0\.0\.1:\d+, data in \S+ \(--embedded-postgres\)/);
    expect(output).toContain('npm start: queue: BullMQ on PostgreSQL (schema bullmq of the same database) (QUEUE_BACKEND=postgres)');
    expect(output).toContain('for an external PostgreSQL and Redis');
    expect(output).toContain('npm start: db: applied migration');
    expect((await request(base).get('/health').expect(200)).body.info.queue).toEqual({ status: 'up', backend: 'postgres' });

    const active = await firstDeploy(base);
    expect(active.Status).toBe('Active');
    expect(active.esc.deployments[0].vms).toHaveLength(1);
    await request(base).post(`/cam/composer/api/v1/ServiceInstances/${active.id}/terminate`).set('Authorization', 'Bearer dev-token').send({}).expect(200);
    expect((await untilSettled(base, active.id)).Status).toBe('Terminated');
  }, 300_000);

  it('stops the embedded server cleanly with npm start, and keeps the catalog and instances for the next start', async () => {
    expect(existsSync(pidFile)).toBe(true);
    expect(await start!.stop('SIGTERM')).toBe(0);
    expect(start!.output()).toContain('npm start: stopping the embedded PostgreSQL');
    expect(existsSync(pidFile)).toBe(false); // PostgreSQL removes it on a clean shutdown

    start = runNpmStart(env, args);
    await untilUp(start);
    expect(start.output()).not.toContain('initialising a new PostgreSQL data directory');
    expect(start.output()).toContain('migrations: 0 applied');
    const list = await request(base).get('/cam/composer/api/v1/ServiceInstances').set('Authorization', 'Bearer dev-token').expect(200);
    expect(list.body.map((i: { name: string; Status: string }) => [i.name, i.Status])).toEqual([['fw-01', 'Terminated']]);
  }, 300_000);

  it('recovers from a crash that left a stale postmaster.pid', async () => {
    await start!.stop('SIGKILL'); // the launcher, the apps and PostgreSQL die at once
    expect(existsSync(pidFile)).toBe(true);

    start = runNpmStart(env, args);
    await untilUp(start);
    expect(start.output()).toContain('removed a stale postmaster.pid');
    const services = await request(base).get('/cam/composer/api/v1/service').set('Authorization', 'Bearer dev-token').expect(200);
    expect(JSON.stringify(services.body)).toContain('ASA firewall');
  }, 300_000);
});
