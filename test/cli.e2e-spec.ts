/**
 * `cam-esc`, the operators' CLI, run as a process (bin/cam-esc.js, from the sources) against a
 * running gateway, worker and esc-sim: its listings (tables and --json), deploy and terminate with
 * waiting, dry-run, watch, a batch from a CSV file with its progress in a non-TTY, and the exit
 * codes a script relies on.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { asaTemplateContent, escService } from './support/payloads';
import { Stack, startStack, TENANT_A } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const root = join(__dirname, '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('cam-esc (the CLI)', () => {
  let stack: Stack;
  let serviceId: string;
  let versionId: string;
  const dir = mkdtempSync(join(tmpdir(), 'cam-esc-cli-'));

  /** The CLI as a script runs it: no terminal, the gateway and token from the environment. */
  const cli = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [join(root, 'bin', 'cam-esc.js'), ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, CAM_ESC_CONFIG: join(dir, 'none.json'), CAM_ESC_URL: stack.gatewayUrl, CAM_ESC_TOKEN: TENANT_A.token, ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      // a CLI that hangs is a failure with its output, not a test timeout
      const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });

  beforeAll(async () => {
    stack = await startStack();
    const http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    const created = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA from the CLI')).expect(200)).body;
    versionId = created.serviceManifestId;
    serviceId = created.service_id ?? created.id;
  }, 90_000);
  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists services, versions and templates, as tables and as JSON, without colours when not on a terminal', async () => {
    const services = await cli(['services', '--json']);
    expect(services.code).toBe(0);
    const list = JSON.parse(services.stdout) as Array<{ name: string; id: string }>;
    const mine = list.find((s) => s.name === 'ASA from the CLI');
    expect(mine).toBeDefined();
    const table = await cli(['services']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('ASA from the CLI');
    // the row shows the service's category, as the list answers it
    expect((mine as unknown as { category: string }).category).toBe('Network');
    expect(table.stdout.split('\n').find((l) => l.includes('ASA from the CLI'))).toContain((mine as unknown as { category: string }).category);
    expect(table.stdout).not.toMatch(/\u001b\[/);
    const versions = await cli(['versions', mine!.id, '--json']);
    expect(versions.code).toBe(0);
    expect(JSON.parse(versions.stdout).map((v: { id: string }) => v.id)).toContain(versionId);
    const templates = await cli(['templates']);
    expect(templates.stdout).toMatch(/asa-deployment\s*│\s*1\.0/);
    expect(serviceId).toBeDefined();
  });

  it('deploys and waits (exit 0, JSON), lists it, dry-runs, watches and terminates it', async () => {
    const deployed = await cli(['deploy', versionId, '--name', 'cli-01', '--set', 'image=ASA', '--json']);
    expect({ code: deployed.code, stderr: deployed.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const instance = JSON.parse(deployed.stdout) as { id: string; Status: string };
    expect(instance.Status).toBe('Active');
    // the wait said what it saw, a line per change (no spinner off a terminal)
    expect(deployed.stderr).toMatch(/deploying cli-01: (In_Progress|Active)/);

    const listed = await cli(['instances', '--status', 'Active', '--json']);
    expect(JSON.parse(listed.stdout).map((i: { id: string }) => i.id)).toContain(instance.id);

    const dry = await cli(['dry-run', versionId, '--name', 'cli-dry', '--set', 'image=ASA']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/POST \/v0\/deployments\/\S+/);

    // the terminate is taken before the watch opens: the watch follows it to its end
    expect((await cli(['terminate', instance.id, '--no-wait'])).code).toBe(0);
    const watched = await cli(['watch', instance.id]);
    expect(watched.code).toBe(0);
    expect(watched.stdout).toMatch(/Terminated/);
    const after = await cli(['instances', '--status', 'Terminated', '--json']);
    expect(JSON.parse(after.stdout).map((i: { id: string }) => i.id)).toContain(instance.id);
  });

  it('runs a batch from a CSV file with its progress as plain lines, a summary table, and exit 0', async () => {
    const file = join(dir, 'sites.csv');
    writeFileSync(file, ['name,image', ...Array.from({ length: 6 }, (_, i) => `site-${i},ASA`)].join('\n') + '\n');
    const run = await cli(['batch', versionId, file, '--concurrency', '3']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(run.stderr).toMatch(/^batch [0-9a-f-]{36}: 6 of 6 items to run, 3 at a time$/m);
    // cli-progress off a terminal: a plain line (no cursor movement), done / failed / running, rate, ETA
    expect(run.stderr).toMatch(/batch \[[^\]]*\] 100% \| 6\/6 done \| 0 failed \| 0 running \| [\d.]+\/s \| ETA/);
    expect(run.stderr).not.toMatch(/\u001b\[/);
    expect(run.stdout).toMatch(/batch [0-9a-f-]{36}: Done, 6 items, concurrency 3/);
    expect(run.stdout).toMatch(/Active\s*│\s*6/);
    const json = await cli(['batch', versionId, file, '--json']);
    const out = JSON.parse(json.stdout) as { batch: { counts: Record<string, number> } };
    expect(out.batch.counts).toEqual({ Active: 6 });
  });

  it('exits with codes a script can rely on', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'name,image\nok-1,ASA\n,ASA\n');
    const cases: Array<[string[], Record<string, string>, number, RegExp]> = [
      [['deploy', versionId, '--name', 'cli-no-image'], {}, 6, /HTTP 400: .*image/],
      [['deploy', '00000000-0000-4000-8000-000000000000', '--name', 'x', '--set', 'image=ASA'], {}, 5, /HTTP 404/],
      [['instances'], { CAM_ESC_TOKEN: 'not-a-token' }, 4, /HTTP 401/],
      [['instances'], { CAM_ESC_TOKEN: '' }, 4, /no token/],
      [['instances'], { CAM_ESC_URL: 'http://127.0.0.1:1' }, 3, /did not answer/],
      [['batch', versionId, bad], {}, 6, /1 of 2 items are invalid/],
      [['deploy', versionId, '--name', 'x', '--set', 'no-equals'], {}, 2, /give name=value/],
      [['nonsense'], {}, 2, /unknown command/],
    ];
    for (const [args, env, code, message] of cases) {
      const run = await cli(args, env);
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code, stderr: expect.stringMatching(message) });
    }
  });

  it('reads the gateway and the token from its config file', async () => {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ url: stack.gatewayUrl, token: TENANT_A.token }));
    const run = await cli(['services', '--json'], { CAM_ESC_CONFIG: config, CAM_ESC_URL: '', CAM_ESC_TOKEN: '' });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).length).toBeGreaterThan(0);
  });
});
