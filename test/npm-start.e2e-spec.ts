import { testRunSettings } from './support/settings';
import { firstDeploy, freePort, NpmStart, runNpmStart, untilUp } from './support/npm-start';

/**
 * The README's quick start, second command, on the machine's PostgreSQL (DATABASE_URL) and
 * whatever queue backend the automatic choice finds: it builds the apps if needed, migrates,
 * starts esc-sim, worker and gateway as three processes, then one deploy.
 */
describe('npm start on an external PostgreSQL', () => {
  let start: NpmStart | undefined;
  afterAll(async () => {
    await start?.stop();
  });

  it('brings up gateway, worker and esc-sim, says what it chose, prints where to go, and deploys', async () => {
    const settings = testRunSettings();
    const [port, simPort] = [await freePort(), await freePort()];
    start = runNpmStart({
      PORT: String(port),
      ESC_SIM_PORT: String(simPort),
      DATABASE_URL: settings.databaseUrl(`${settings.databasePrefix}_npmstart`),
      QUEUE_PREFIX: `${settings.queuePrefix}:npmstart`,
    });
    await untilUp(start);
    const output = start.output();
    expect(output).toContain('npm start: database: postgresql://postgres@127.0.0.1:5432/');
    expect(output).toContain('(DATABASE_URL is set)');
    // the e2e run needs a Redis on the default address (README, "Tests"), so the automatic choice finds it
    expect(output).toContain('npm start: queue: BullMQ on Redis at redis://127.0.0.1:6379 (Redis answers on redis://127.0.0.1:6379)');
    expect(output).toContain(`API:    http://127.0.0.1:${port}/cam/composer/api/v1`);
    expect(output).toContain(`Docs:   http://127.0.0.1:${port}/docs`);
    expect(output).toContain('Token:  Authorization: Bearer dev-token');

    const active = await firstDeploy(`http://127.0.0.1:${port}`);
    expect(active.Status).toBe('Active');
    expect(active.esc.deployments[0].vms).toHaveLength(1);
  }, 300_000);
});
