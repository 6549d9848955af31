/**
 * `npm start` as a user runs it, in a process group of its own so that the apps (and an embedded
 * PostgreSQL) stop with it; and the README's first deploy against what it started.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { deployBody } from './payloads';
import { waitFor } from './stack';

export interface NpmStart {
  child: ChildProcess;
  output(): string;
  /** Signals the whole process group and waits for npm start to exit; resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code when npm start exits by itself. */
  exited(): Promise<number | null>;
}

export function runNpmStart(env: Record<string, string>, args: string[] = []): NpmStart {
  let output = '';
  // what `npm start` runs, without npm in between (npm does not wait for its script on a signal);
  // tsx as a loader, not its CLI, so a signal reaches the script itself and not a relay that may give up on it
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
    cwd: join(__dirname, '..', '..'),
    detached: true, // its own process group, so the apps stop with it
    env: { ...process.env, LOG_LEVEL: 'warn', ESC_SIM_LOG_LEVEL: 'warn', ESC_SIM_CALLBACK_DELAY_MS: '10', API_TOKENS: '', ESC_URL: '', ...env },
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, signal);
      return exited;
    },
    exited: () => exited,
  };
}

export async function untilUp(start: NpmStart): Promise<void> {
  await waitFor(async () => start.output(), (o) => o.includes('cam-esc-gateway is up') || start.child.exitCode !== null, 'npm start to come up', 240_000);
  if (!start.output().includes('cam-esc-gateway is up')) throw new Error(`npm start did not come up:\n${start.output()}`);
}

const ASA_XML =
  '<esc_datamodel xmlns="http://www.cisco.com/esc/esc"><tenants><tenant><name>admin</name><deployments><deployment><name>asa</name><vm_group><name>ASA-1</name><image>${image}</image></vm_group></deployment></deployments></tenant></tenants></esc_datamodel>';

/** The README's "A first deploy", steps 1 to 4: template, service, deploy, Active. Returns the instance. */
export async function firstDeploy(baseUrl: string, token = 'dev-token'): Promise<{ id: string; Status: string; esc: { deployments: Array<{ vms: unknown[] }> } }> {
  const http = request(baseUrl);
  const T = `Bearer ${token}`;
  await http.post('/cam/api/v1/templates').set('Authorization', T).send({ name: 'asa', version: '1.0', type: 'ESC', content: ASA_XML }).expect(201);
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
  return untilSettled(baseUrl, id, token);
}

export async function untilSettled(baseUrl: string, id: string, token = 'dev-token') {
  return waitFor(
    async () => (await request(baseUrl).get(`/cam/composer/api/v1/ServiceInstances/${id}`).set('Authorization', `Bearer ${token}`)).body,
    (i) => !['Submitted', 'In_Progress', 'Terminating'].includes(i.Status),
    'the instance to settle',
    30_000,
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
