import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { firstDeploy, freePort, NpmStart, runNpmStart, untilSettled, untilUp } from './support/npm-start';
import { waitFor } from './support/stack';

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
  // (each test goes on from the state the one before left)

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

  it('refuses a second npm start on the same DATA_DIR, leaving the first one alone', async () => {
    const second = runNpmStart({ ...env, PORT: String(await freePort()), ESC_SIM_PORT: String(await freePort()) }, args);
    expect(await second.exited()).toBe(1);
    expect(second.output()).toMatch(/another npm start \(pid \d+\) runs on /);
    expect((await request(base).get('/health').expect(200)).body.status).toBe('ok');
  }, 120_000);

  it('on Ctrl-C stops the apps first, then the database, cleanly; the next start keeps the catalog and instances', async () => {
    expect(existsSync(pidFile)).toBe(true);
    expect(await start!.stop('SIGINT')).toBe(0); // SIGINT to the whole process group, as a terminal's Ctrl-C
    const output = start!.output();
    expect(output).toContain('npm start: stopping the embedded PostgreSQL');
    expect(output).not.toMatch(/database system is shutting down|terminating connection due to administrator command/);
    expect(existsSync(pidFile)).toBe(false); // PostgreSQL removes it on a clean shutdown
    expect(readFileSync(join(dataDir, 'postgres.log'), 'utf8')).toMatch(/received fast shutdown request[\s\S]*database system is shut down/);

    start = runNpmStart(env, args);
    await untilUp(start);
    expect(start.output()).not.toContain('initialising a new PostgreSQL data directory');
    expect(start.output()).toContain('migrations: 0 applied');
    const list = await request(base).get('/cam/composer/api/v1/ServiceInstances').set('Authorization', 'Bearer dev-token').expect(200);
    expect(list.body.map((i: { name: string; Status: string }) => [i.name, i.Status])).toEqual([['fw-01', 'Terminated']]);
  }, 300_000);

  it('stops a server that a killed npm start left running, and starts afresh', async () => {
    await start!.stop('SIGKILL'); // the launcher and the apps die; the server runs on in its own process group
    const orphan = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    expect(() => process.kill(orphan, 0)).not.toThrow();

    start = runNpmStart(env, args);
    await untilUp(start);
    expect(start.output()).toContain(`an embedded PostgreSQL from an earlier npm start is still running (pid ${orphan}); stopping it`);
    expect(() => process.kill(orphan, 0)).toThrow();
  }, 300_000);

  it('recovers from a crash of the server itself (a stale postmaster.pid)', async () => {
    await start!.stop('SIGKILL');
    const server = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    process.kill(server, 'SIGKILL');
    await waitFor(async () => isAlive(server), (alive) => !alive, 'the server to die');
    expect(existsSync(pidFile)).toBe(true);

    start = runNpmStart(env, args);
    await untilUp(start);
    expect(start.output()).toContain('did not stop cleanly last time (stale postmaster.pid); it recovers on start');
    const services = await request(base).get('/cam/composer/api/v1/service').set('Authorization', 'Bearer dev-token').expect(200);
    expect(JSON.stringify(services.body)).toContain('ASA firewall');
  }, 300_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
