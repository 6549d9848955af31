import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { deployBody } from './support/payloads';
import { testRunSettings } from './support/settings';
import { waitFor } from './support/stack';

/**
 * The README's quick start, second command: `npm start` as a user runs it (it builds the apps if
 * needed, migrates, starts esc-sim, worker and gateway as three processes) then one deploy.
 */
describe('npm start', () => {
  let child: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    if (child?.pid) {
      process.kill(-child.pid, 'SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
  });

  it('brings up gateway, worker and esc-sim, prints where to go, and deploys', async () => {
    const settings = testRunSettings();
    const [port, simPort] = [await freePort(), await freePort()];
    child = spawn('npx', ['tsx', 'scripts/start.ts'], {
      cwd: join(__dirname, '..'),
      detached: true, // its own process group, so the three apps stop with it
      env: {
        ...process.env,
        PORT: String(port),
        ESC_SIM_PORT: String(simPort),
        DATABASE_URL: settings.databaseUrl(`${settings.databasePrefix}_npmstart`),
        QUEUE_PREFIX: `${settings.queuePrefix}:npmstart`,
        API_TOKENS: '',
        ESC_URL: '',
        ESC_SIM_CALLBACK_DELAY_MS: '10',
        LOG_LEVEL: 'warn',
        ESC_SIM_LOG_LEVEL: 'warn',
      },
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitFor(async () => output, (o) => o.includes('cam-esc-gateway is up') || child!.exitCode !== null, 'npm start to come up', 240_000);
    expect(output).toContain(`API:    http://127.0.0.1:${port}/cam/composer/api/v1`);
    expect(output).toContain(`Docs:   http://127.0.0.1:${port}/docs`);
    expect(output).toContain('Token:  Authorization: Bearer dev-token');

    const http = request(`http://127.0.0.1:${port}`);
    const T = 'Bearer dev-token';
    const xml = '<esc_datamodel xmlns="http://www.cisco.com/esc/esc"><tenants><tenant><name>admin</name><deployments><deployment><name>asa</name><vm_group><name>ASA-1</name><image>${image}</image></vm_group></deployment></deployments></tenant></tenants></esc_datamodel>';
    await http.post('/cam/api/v1/templates').set('Authorization', T).send({ name: 'asa', version: '1.0', type: 'ESC', content: xml }).expect(201);
    const service = await http
      .post('/cam/composer/api/v1/Service/createService')
      .set('Authorization', T)
      .send({
        service: {
          catalog_metadata: { name: 'ASA firewall', category: 'Network' },
          version: '1.0.0.0',
          actions: [{ type: 'provision', name: 'Provision', input_parameters: [{ name: 'image', required: true }], flow: { templates: [{ ASA: { id: 'asa1', template_type: 'ESC', template_name: 'asa', version: '1.0', template_params: { image: '${input_parameters.image}' } } }], sequence: { '0': 'asa1' } } }],
          plans: [{ name: 'Standard', plan_parameters: [] }],
        },
      })
      .expect(200);
    const id = (await http.post(`/cam/composer/api/v1/ServiceManifest/${service.body.serviceManifestId}/deploy`).set('Authorization', T).send(deployBody('fw-01', { image: 'ASAv' })).expect(200)).body.id;
    const active = await waitFor(async () => (await http.get(`/cam/composer/api/v1/ServiceInstances/${id}`).set('Authorization', T)).body, (i) => i.Status !== 'Submitted' && i.Status !== 'In_Progress', 'Active', 30_000);
    expect(active.Status).toBe('Active');
    expect(active.esc.deployments[0].vms).toHaveLength(1);
  }, 300_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
