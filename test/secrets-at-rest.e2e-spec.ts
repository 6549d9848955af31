/**
 * Secrets at rest: after a deploy, an update and a terminate with known secured values (and an ESC
 * connection with a known password), a dump of the whole database holds none of them, nor does
 * any answer, while ESC did get each one.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '@cam-esc/config';
import { SecretBox } from '@cam-esc/secrets';
import { rotateSecrets } from '../scripts/secrets-rotate';
import { asaTemplateContent, escService } from './support/payloads';
import { HookServer, startHookServer } from './support/hook-server';
import { A, INSTANCES, portal, Portal } from './support/instance-lifecycle';
import { Stack, startStack, TEST_SECRETS_KEY } from './support/stack';

const SECRET_1 = `Pw1-${randomBytes(6).toString('hex')}`;
const SECRET_2 = `Pw2-${randomBytes(6).toString('hex')}`;
const CONNECTION_PASSWORD = `Conn-${randomBytes(6).toString('hex')}`;
const SECRETS = [SECRET_1, SECRET_2, CONNECTION_PASSWORD];

/** The secret as it is written, and in the forms a dump or an answer could hold it (XML- or URL-escaped). */
const forms = (s: string) => [s, encodeURIComponent(s), Buffer.from(s).toString('base64')];

describe('secrets at rest', () => {
  let stack: Stack;
  let p: Portal;
  let hooks: HookServer;
  const answers: string[] = [];

  beforeAll(async () => {
    hooks = await startHookServer(() => ({ status: 200, body: { ok: true } }));
    stack = await startStack();
    p = portal(stack);
    // the day-0 configuration is fetched with the admin password: only ESC may see it
    const content = asaTemplateContent().replace('http://MY_FILE_SERVER_IP:/share/images/day0-configASAv', 'http://files.example/day0?password=${admin_password}');
    await p.http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-day0', version: '1.0', type: 'ESC', content }).expect(201);
    answers.push((await p.http.post('/cam/api/v1/connections').set('Authorization', A).send({ name: 'east', url: 'http://esc-east.example:8080/ESCManager', username: 'admin', password: CONNECTION_PASSWORD }).expect(201)).text);
  });
  afterAll(async () => {
    await stack?.close();
    await hooks?.close();
  });

  it('keeps no secured value, nor a connection password, anywhere in the database', async () => {
    const { manifestId } = await p.createService({
      service: {
        specVersion: 'v3',
        version: '1.0.0.0',
        catalog_metadata: { name: 'ASA day-0 at rest', description: 'secured values at rest', image: 'serviceicon_1.svg', category: 'Network', author: 'admin' },
        tags: [],
        actions: [
          {
            type: 'provision',
            name: 'Provision',
            input_parameters: [
              { name: 'image', label: 'Image', type: 'string', required: true, secured: false },
              { name: 'admin_password', label: 'Admin password', type: 'password', required: true, secured: true, default: '' },
            ],
            flow: {
              templates: [{ 'ASA on ESC': { title: 'ASA on ESC', template_name: 'asa-day0', version: '1.0', id: 'asa1', template_type: 'ESC', template_params: { image: '${input_parameters.image}', mgmt_ip: '10.90.0.5', esc_tenant: 'admin', admin_password: '${input_parameters.admin_password}' } } }],
              // a resthook whose URL and header carry the secret too
              resthooks: [{ resthook: { id: 'notify', url: `${hooks.url}/notify?key=\${input_parameters.admin_password}`, method: 'GET', headers: { 'X-Api-Key': '${input_parameters.admin_password}' } } }],
              sequence: { '0': 'asa1', '1': 'notify' },
            },
          },
        ],
        plans: [{ name: 'Standard', description: 'Standard plan', actions: [], plan_parameters: [] }],
      },
    });
    const active = await p.deployActive(manifestId, 'at-rest-01', { image: 'ASAv-9.18', admin_password: SECRET_1 });
    const updated = await p.untilEnded(await p.start(active.id, 'update', { update_details: { instance_parameters: { admin_password: SECRET_2, image: 'ASAv-9.19' } } }));
    expect(updated.action.action_status).toBe('Succeeded');
    await p.call(active.id, 'terminate', {}).expect(200);
    expect((await p.untilStatus(active.id, 'Terminated', 'Error')).Status).toBe('Terminated');

    // ESC got each secured value, in clear, when it was sent
    const sent = (await p.simRequests()).map((r) => JSON.stringify(r)).join('\n');
    expect(sent).toContain(`password=${SECRET_1}`);
    expect(sent).toContain(`password=${SECRET_2}`);
    expect(hooks.hits.map((h) => h.url)).toEqual(expect.arrayContaining([`/notify?key=${SECRET_1}`, `/notify?key=${SECRET_2}`]));
    expect(hooks.hits.map((h) => h.headers['x-api-key'])).toEqual(expect.arrayContaining([SECRET_1, SECRET_2]));

    // nothing that was answered holds one
    for (const path of ['', '/escRequests', '/escEvents', '/getInputParameters', '/events?history=true']) {
      const res = await p.http.get(`${INSTANCES}/${active.id}${path}`).set('Authorization', A).buffer(true);
      answers.push(res.text);
    }
    answers.push((await p.http.get('/cam/api/v1/connections/east').set('Authorization', A)).text);
    for (const text of answers) for (const s of SECRETS) for (const f of forms(s)) expect(text).not.toContain(f);

    // nor does the database, read whole
    const dump = spawnSync('pg_dump', ['--no-owner', '--data-only', stack.env.DATABASE_URL], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (dump.error) throw new Error(`pg_dump could not run (${dump.error.message}): it comes with PostgreSQL's client package (postgresql-client)`);
    expect({ status: dump.status, stderr: dump.stderr.slice(0, 500) }).toEqual({ status: 0, stderr: '' });
    expect(dump.stdout).toContain('at-rest-01');
    expect(dump.stdout).toContain('asa1');
    for (const s of SECRETS) for (const f of forms(s)) expect(dump.stdout).not.toContain(f);
  });
});

describe('secrets:rotate', () => {
  let stack: Stack;
  let p: Portal;

  beforeAll(async () => {
    stack = await startStack();
    p = portal(stack);
  });
  afterAll(() => stack?.close());

  it('seals every secret at rest anew under the new SECRETS_KEY, readable with it alone; run again, it changes nothing', async () => {
    await p.http.post('/cam/api/v1/connections').set('Authorization', A).send({ name: 'west', url: 'http://esc-west.example:8080/ESCManager', username: 'admin', password: CONNECTION_PASSWORD }).expect(201);
    await p.http.post('/cam/api/v1/sharedparameters').set('Authorization', A).send({ name: 'proxy-west', datatype: 'httpproxy', values: { host: 'proxy.west', password: SECRET_1 }, secured_keys: ['password'] }).expect(201);
    await p.addAsaTemplate();
    const { manifestId } = await p.createService(escService('ASA rotated'));
    await p.deployActive(manifestId, 'rotated-01', { image: 'ASAv-9.18', admin_password: SECRET_2 });

    const sealed = async () =>
      (
        await stack.db.query<{ v: string }>(`
          SELECT password_sealed AS v FROM esc_connection WHERE password_sealed IS NOT NULL
          UNION ALL SELECT secrets_sealed FROM action_instance WHERE secrets_sealed IS NOT NULL
          UNION ALL SELECT body_sealed FROM esc_request WHERE body_sealed IS NOT NULL
          UNION ALL SELECT values->>'password' FROM shared_parameter`)
      ).rows.map((r) => r.v);
    const old = new SecretBox(Buffer.from(TEST_SECRETS_KEY, 'hex'));
    const before = await sealed();
    // a connection password, a shared parameter and the action's secured values (this template does not send the password: no body is sealed)
    expect(before).toHaveLength(3);
    const plain = before.map((s) => old.open(s));

    const NEW_KEY = randomBytes(32).toString('base64');
    const config = AppConfig.fromEnv({ ...stack.env, SECRETS_KEY: NEW_KEY, SECRETS_KEY_PREVIOUS: TEST_SECRETS_KEY });
    const first = await rotateSecrets(config, () => undefined);
    expect(first.unreadable).toEqual({});
    expect(Object.values(first.resealed).reduce((a, b) => a + b, 0)).toBe(3);
    const fresh = new SecretBox(Buffer.from(NEW_KEY, 'base64'));
    const after = await sealed();
    expect(after.every((s) => fresh.sealedWithCurrentKey(s))).toBe(true);
    expect(after.map((s) => fresh.open(s)).sort()).toEqual([...plain].sort());
    expect(() => old.open(after[0])).toThrow(/sealed under another SECRETS_KEY/);

    const again = await rotateSecrets(config, () => undefined);
    expect(Object.values(again.resealed).reduce((a, b) => a + b, 0)).toBe(0);
    // a key that is not given leaves what it sealed unreadable, and says so
    const lost = await rotateSecrets(AppConfig.fromEnv({ ...stack.env, SECRETS_KEY: randomBytes(32).toString('hex') }), () => undefined);
    expect(Object.values(lost.unreadable).reduce((a, b) => a + b, 0)).toBe(3);
  });
});
