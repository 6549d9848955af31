/**
 * Upgrading and downgrading an instance (CAM: GET ServiceInstances/{id}?filter[include]=UpgradePaths
 * &filter[include]=DowngradePaths, POST …/versionChangeInputParameters, POST …/submitVersionChange).
 * The paths come from the versions' documents (upgrade_from, downgrade_to); a change updates on
 * ESC what both versions have and whose rendering changed (PUT), leaves alone what renders as
 * before, creates what only the new version has and deletes what it no longer has.
 */
import request from 'supertest';
import { childText, parseXml, rootElement } from '../libs/esc/src/datamodel/xml-tree';
import { templateStep } from './support/flow-payloads';
import { A, B, InstanceView, INSTANCES, Portal, portal } from './support/instance-lifecycle';
import { jsonFixture } from './support/payloads';
import { ESC_CREDENTIALS, Stack, startStack, waitFor } from './support/stack';

type Path = { id: string; type: string; fromVersionId: string; toVersionId: string; currentVersionId: string; tenantId: string; toVersion: string };
const PATHS = '?filter[include]=UpgradePaths&filter[include]=DowngradePaths';
const param = (name: string, def: string) => ({ name, label: name, type: 'string', customtype: 'string', required: false, secured: false, default: def });
const secret = { name: 'api_key', label: 'API key', type: 'password', customtype: 'password', required: false, secured: true, default: '' };
const flavor = (id: string, name: string) => templateStep({ id, template: 'flavor', params: { name } });
const deployment = templateStep({ id: 'dep1', template: 'deployment', params: { esc_tenant: 'admin', image: '${input_parameters.image}', network: 'MgtNetwork', mgmt_ip: '${input_parameters.mgmt_ip}' } });

/** A version of the service: its steps in sequence order, its inputs, and where it may come from or go to. */
function version(label: string, inputs: unknown[], steps: Array<Record<string, { id: string }>>, paths: { upgrade_from?: string[]; downgrade_to?: string[] } = {}) {
  return {
    service: {
      specVersion: 'v3',
      version: label,
      catalog_metadata: { name: 'Versioned ASA', description: 'an ASA whose flow changes between versions', image: 'serviceicon_1.svg', category: 'Network', author: 'admin' },
      tags: [],
      ...(paths.upgrade_from && { upgrade_from: paths.upgrade_from.map((v) => ({ version: v })) }),
      ...(paths.downgrade_to && { downgrade_to: paths.downgrade_to.map((v) => ({ version: v })) }),
      actions: [
        {
          type: 'provision',
          name: 'Provision',
          input_parameters: inputs,
          flow: { templates: steps, resthooks: [], sequence: Object.fromEntries(steps.map((s, i) => [String(i), Object.values(s)[0].id])) },
          output_parameters: [],
        },
      ],
      plans: [{ name: 'Standard', description: 'Standard plan', actions: [], plan_parameters: [] }],
    },
  };
}

// v1: flavor1 and dep1 (both versions have them) and legacy1 (v1 only); v2: flavor1, dep1 and site1 (v2 only)
const V1 = version('1.0.0.0', [param('image', 'ASAv-9.18'), param('mgmt_ip', '10.60.0.10'), param('legacy_flavor', 'legacy-small'), secret], [flavor('flavor1', 'asav-small'), flavor('legacy1', '${input_parameters.legacy_flavor}'), deployment]);
const v2Steps = [flavor('flavor1', 'asav-small'), deployment, templateStep({ id: 'site1', template: 'image', params: { name: 'asav-${input_parameters.site}' } })];
// 2.0.0.0 brings a secured parameter of its own, with a default that is a secret too
const v2Secret = { ...secret, name: 'enable_secret', label: 'Enable secret', default: 'v2-default-SECRET' };
const v2Inputs = [param('image', 'ASAv-9.18'), param('mgmt_ip', '10.60.0.10'), param('site', 'east'), secret, v2Secret];

const GRAPH: Record<string, { upgrade_from?: string[]; downgrade_to?: string[]; retired?: boolean }> = {
  '1.0.0.0': {},
  '1.5.0.0': { upgrade_from: ['0.9.0.0'] },
  // retired: it takes no instance, whatever its document says
  '1.9.0.0': { upgrade_from: ['1.0.0.0'], retired: true },
  '2.0.0.0': { upgrade_from: ['1.0.0.0'], downgrade_to: ['1.0.0.0'] },
  '3.0.0.0': { upgrade_from: ['2.0.0.0'] },
};

describe('version change of an instance (upgrade, downgrade)', () => {
  let stack: Stack;
  let p: Portal;
  let serviceId: string;
  const v: Record<string, string> = {};

  const paths = async (id: string): Promise<{ up: Path[]; down: Path[]; instance: InstanceView }> => {
    const instance = await p.instance(id, PATHS);
    return { up: instance.UpgradePaths as Path[], down: instance.DowngradePaths as Path[], instance };
  };
  /** The instance's paths, as GET …?filter[include]=UpgradePaths&filter[include]=DowngradePaths answers them. */
  const pathsFor = async (id: string): Promise<{ up: Path[]; down: Path[] }> => {
    const listed = await paths(id);
    expect(listed.up).toBeDefined();
    expect(listed.down).toBeDefined();
    return listed;
  };
  const onEsc = async (path: string) => (await request(stack.sim.url).get(`/v0/${path}`).auth(ESC_CREDENTIALS.username, ESC_CREDENTIALS.password)).status;
  const byName = async (name: string): Promise<string> => (await p.http.get(INSTANCES).set('Authorization', A).expect(200)).body.find((i: { name: string }) => i.name === name).id;
  const inputsFor = (id: string, versionChangeId: unknown, auth = A) => p.call(id, 'versionChangeInputParameters', { versionChangeId }, auth);
  const submitBody = (versionChangeId: unknown, instance_parameters: Record<string, unknown> = {}) => ({ versionChangeId, instance_parameters, pre_action_parameters: {}, post_action_parameters: {}, plan: '' });
  /** The ESC calls since `mark` as "METHOD /path" with the resources' ids named by their step. */
  const callsSince = async (mark: number, resources: Array<{ step_id: string; internal_id: string }>) =>
    (await p.simCallsSince(mark)).map((r) => resources.reduce((text, res) => text.replaceAll(res.internal_id, `{${res.step_id}}`), `${r.method} ${r.path}`));
  const resources = (i: InstanceView) => i.esc.resources.map((r) => ({ step_id: `${r.step_id}:${r.status}`, internal_id: r.internal_id }));

  beforeAll(async () => {
    stack = await startStack();
    p = portal(stack);
    await p.addVnfTemplates();
    const created = await p.createService(V1);
    serviceId = created.serviceId;
    v['1.0.0.0'] = created.manifestId;
    for (const label of ['1.5.0.0', '1.9.0.0', '2.0.0.0', '3.0.0.0']) v[label] = await p.addVersion(serviceId, version(label, v2Inputs, v2Steps, GRAPH[label]));
    await p.http.post(`/cam/composer/api/v1/ServiceManifest/${v['1.9.0.0']}/retire`).set('Authorization', A).expect(200);
  });
  afterAll(() => stack?.close());

  it("lists the version changes the versions' documents open to the instance, each with the id to use as versionChangeId", async () => {
    const { id } = await p.deployActive(v['1.0.0.0'], 'paths-01', { image: 'ASAv-9.20' });
    const { up, down, instance } = await paths(id);
    expect(Object.keys(instance)).toEqual(expect.arrayContaining(['UpgradePaths', 'DowngradePaths']));
    const seed = jsonFixture<{ UpgradePaths: object[] }>('cam/service_instance_with_version_paths.response.json');
    expect(Object.keys(up[0])).toEqual(expect.arrayContaining(Object.keys(seed.UpgradePaths[0])));
    // 2.0.0.0 is upgraded to from 1.0.0.0; 1.5.0.0 from 0.9.0.0 only, 3.0.0.0 from 2.0.0.0 only, 1.9.0.0 is retired; 1.0.0.0 downgrades to nothing
    expect(up).toEqual([expect.objectContaining({ type: 'UPGRADE', fromVersionId: v['1.0.0.0'], toVersionId: v['2.0.0.0'], currentVersionId: v['2.0.0.0'], tenantId: 'tenant-a', id: expect.any(String) })]);
    expect(down).toEqual([]);
    expect(instance.serviceManifestId).toBe(v['1.0.0.0']);
    // the same path has the same id on every call
    expect((await paths(id)).up[0].id).toBe(up[0].id);
    // only what is asked for
    const plain = await p.instance(id);
    expect(plain).not.toHaveProperty('UpgradePaths');
    expect(plain).not.toHaveProperty('DowngradePaths');
    const upOnly = await p.instance(id, '?filter[include]=UpgradePaths');
    expect(upOnly.UpgradePaths).toEqual(up);
    expect(upOnly).not.toHaveProperty('DowngradePaths');
    expect((await p.http.get(`${INSTANCES}/${id}?filter[include]=Bogus`).set('Authorization', A)).status).toBe(400);
  });

  it('versionChangeInputParameters: the new version’s inputs, with new_parameters, used_old_parameters and ignored_old_parameters as the seed explains them', async () => {
    const { id } = await p.deployActive(v['1.0.0.0'], 'inputs-01', { image: 'ASAv-9.20', mgmt_ip: '10.60.0.11', api_key: 'k3y-SECRET-1' });
    const [path] = (await pathsFor(id)).up;
    const res = await inputsFor(id, path.id).expect(200);
    const seed = jsonFixture<{ VersionChangeInputParameters: object }>('cam/service_instance_version_change_input.response.json');
    const answer = res.body.VersionChangeInputParameters;
    expect(Object.keys(answer)).toEqual(expect.arrayContaining(Object.keys(seed.VersionChangeInputParameters)));
    expect(answer).toMatchObject({
      versionChangeId: path.id,
      toVersion: '2.0.0.0',
      type: 'UPGRADE',
      new_parameters: ['site', 'enable_secret'],
      used_old_parameters: ['image', 'mgmt_ip', 'api_key'],
      ignored_old_parameters: ['legacy_flavor'],
      pre_action_input_parameters: [],
      post_action_input_parameters: [],
    });
    // the new version's parameters; one the instance has already shows its current value as default (as the seed's url does)
    expect(answer.input_parameters.map((i: { name: string; default: string }) => [i.name, i.default])).toEqual([
      ['image', 'ASAv-9.20'],
      ['mgmt_ip', '10.60.0.11'],
      ['site', 'east'],
      ['api_key', '*******'],
      ['enable_secret', answer.input_parameters[4].default],
    ]);
    // secured values are masked: the instance's, and a default of the new version (as the catalog masks it)
    expect(JSON.stringify(res.body)).not.toContain('k3y-SECRET-1');
    expect(answer.input_parameters[4]).toMatchObject({ name: 'enable_secret', secured: true, default: '*******' });
    expect(JSON.stringify(res.body)).not.toContain('v2-default-SECRET');
  });

  it('upgrades: PUT for the deployment whose rendering changed, nothing for the step that renders as before, the new step made, the old one deleted; Active at 2.0.0.0 with the change in its history', async () => {
    const before = await p.deployActive(v['1.0.0.0'], 'upgraded-01', { image: 'ASAv-9.20', mgmt_ip: '10.60.0.12', api_key: 'k3y-SECRET-2' });
    const [path] = (await pathsFor(before.id)).up;
    const mark = (await p.simRequests()).length;
    const res = await p.call(before.id, 'submitVersionChange', submitBody(path.id, { mgmt_ip: '10.60.0.22', site: 'west' })).expect(200);
    expect(res.body).toMatchObject({ id: before.id, Status: 'In_Progress', action: 'update', action_instance_id: expect.any(String) });
    expect(res.body.versionChangeDetails).toMatchObject({ versionChangeId: path.id, versionChangeType: 'UPGRADE', fromVersion: '1.0.0.0', toVersion: '2.0.0.0' });
    const { instance: after, action } = await p.untilEnded(res.body);
    expect({ status: after.Status, logs: action.logs }).toEqual({ status: 'Active', logs: expect.not.stringContaining('failed') });
    expect(after.serviceManifestId).toBe(v['2.0.0.0']);

    const calls = await callsSince(mark, resources(after));
    expect(calls).toEqual(['PUT /ESCManager/v0/deployments/{dep1:Active}', 'POST /ESCManager/v0/images/{site1:Active}', 'DELETE /ESCManager/v0/flavors/{legacy1:Undeployed}']);
    const byStep = Object.fromEntries(after.esc.resources.map((r) => [r.step_id, r]));
    const beforeByStep = Object.fromEntries(before.esc.resources.map((r) => [r.step_id, r]));
    // what both versions have is the same resource on ESC
    expect(byStep.dep1.internal_id).toBe(beforeByStep.dep1.internal_id);
    expect(byStep.flavor1).toMatchObject({ internal_id: beforeByStep.flavor1.internal_id, status: 'Active' });
    expect(byStep.site1.name).toMatch(/^asav-west-/);
    const put = (await p.simCallsSince(mark))[0];
    const ips = [...put.body!.matchAll(/<ip_address>([^<]*)<\/ip_address>/g)].map((m) => m[1]);
    expect(new Set(ips)).toEqual(new Set(['10.60.0.22']));
    const imageBody = rootElement(parseXml((await p.simCallsSince(mark))[1].body!))!;
    expect(childText(imageBody, 'name')).toBe(byStep.site1.name);
    expect(after.esc.deployments[0].vms[0].ip_addresses).toEqual(['10.60.0.22']);
    // and ESC agrees: the old flavor is gone, the new image is there
    expect([await onEsc(`flavors/${beforeByStep.legacy1.internal_id}`), await onEsc(`images/${byStep.site1.internal_id}`), await onEsc(`flavors/${byStep.flavor1.internal_id}`)]).toEqual([404, 200, 200]);

    const change = after.actionInstanceDetails[after.actionInstanceDetails.length - 1];
    expect(change).toMatchObject({ instance_action: 'update', Status: 'Active', mode: 'version_change', input_parameters: { image: 'ASAv-9.20', mgmt_ip: '10.60.0.22', site: 'west', api_key: '*******' } });
    expect(change.versionChangeDetails).toMatchObject({
      serviceInstanceId: before.id,
      versionChangeId: path.id,
      versionChangeType: 'UPGRADE',
      fromVersionId: v['1.0.0.0'],
      fromVersion: '1.0.0.0',
      toVersionId: v['2.0.0.0'],
      toVersion: '2.0.0.0',
      instance_parameters: { image: 'ASAv-9.20', mgmt_ip: '10.60.0.22', site: 'west', api_key: '*******' },
      pre_action_parameters: {},
      post_action_parameters: {},
    });
    expect(change.logs).toContain("step 'flavor1'");
    // the secured value went along, and is shown nowhere
    expect(JSON.stringify([res.body, after])).not.toContain('k3y-SECRET-2');
    // what a portal reads before the next change: the new version's parameters with the values they now have
    const shown = (await p.http.get(`${INSTANCES}/${before.id}/getInputParameters`).set('Authorization', A).expect(200)).body.InputParameters.input_parameters;
    expect(shown.map((i: { name: string; value: unknown }) => [i.name, i.value])).toEqual([
      ['image', 'ASAv-9.20'],
      ['mgmt_ip', '10.60.0.22'],
      ['site', 'west'],
      ['api_key', '*******'],
      ['enable_secret', '*******'],
    ]);
    expect(change.logs).toContain("step 'legacy1' is not in the new version's flow");
  });

  it("at 2.0.0.0 the paths are 2.0.0.0's: on to 3.0.0.0, back to 1.0.0.0", async () => {
    const id = await byName('upgraded-01');
    const now = await paths(id);
    expect(now.instance.serviceManifestId).toBe(v['2.0.0.0']);
    expect(now.up?.map((x) => [x.type, x.fromVersionId, x.toVersionId])).toEqual([['UPGRADE', v['2.0.0.0'], v['3.0.0.0']]]);
    expect(now.down?.map((x) => [x.type, x.fromVersionId, x.toVersionId, x.currentVersionId])).toEqual([['DOWNGRADE', v['2.0.0.0'], v['1.0.0.0'], v['2.0.0.0']]]);
  });

  it('downgrades back: the old step made again, the new one deleted, the deployment left alone as its values did not change; Active at 1.0.0.0', async () => {
    const id = await byName('upgraded-01');
    const before = await p.instance(id);
    expect(before.serviceManifestId).toBe(v['2.0.0.0']);
    const [back] = (await pathsFor(id)).down;
    const inputs = (await inputsFor(id, back.id).expect(200)).body.VersionChangeInputParameters;
    expect(inputs).toMatchObject({ type: 'DOWNGRADE', toVersion: '1.0.0.0', new_parameters: ['legacy_flavor'], used_old_parameters: ['image', 'mgmt_ip', 'api_key'], ignored_old_parameters: ['site', 'enable_secret'] });
    expect(inputs.input_parameters.map((i: { name: string; default: string }) => [i.name, i.default])).toEqual([
      ['image', 'ASAv-9.20'],
      ['mgmt_ip', '10.60.0.22'],
      ['legacy_flavor', 'legacy-small'],
      ['api_key', '*******'],
    ]);

    const mark = (await p.simRequests()).length;
    const started = await p.start(id, 'submitVersionChange', submitBody(back.id, { legacy_flavor: 'legacy-large' }));
    const { instance: after, action } = await p.untilEnded(started);
    expect({ status: after.Status, logs: action.logs }).toEqual({ status: 'Active', logs: expect.not.stringContaining('failed') });
    expect(after.serviceManifestId).toBe(v['1.0.0.0']);
    const legacy = after.esc.resources.filter((r) => r.step_id === 'legacy1');
    expect(legacy.map((r) => r.status)).toEqual(['Undeployed', 'Active']);
    const calls = await callsSince(mark, resources(after));
    expect(calls).toEqual(['POST /ESCManager/v0/flavors/{legacy1:Active}', 'DELETE /ESCManager/v0/images/{site1:Undeployed}']);
    expect(legacy[1].name).toMatch(/^legacy-large-/);
    const site = after.esc.resources.find((r) => r.step_id === 'site1')!;
    expect([await onEsc(`flavors/${legacy[1].internal_id}`), await onEsc(`images/${site.internal_id}`)]).toEqual([200, 404]);
    expect(after.esc.deployments[0]).toMatchObject({ internal_deployment_id: before.esc.deployments[0].internal_deployment_id, status: 'Active' });
    expect(after.esc.deployments[0].vms[0].ip_addresses).toEqual(['10.60.0.22']);
    expect(action.versionChangeDetails).toMatchObject({ versionChangeType: 'DOWNGRADE', fromVersion: '2.0.0.0', toVersion: '1.0.0.0', instance_parameters: { image: 'ASAv-9.20', mgmt_ip: '10.60.0.22', legacy_flavor: 'legacy-large', api_key: '*******' } });
    expect(JSON.stringify(after)).not.toContain('k3y-SECRET-2');
    expect(after.actionInstanceDetails.map((a) => [a.instance_action, a.Status])).toEqual([
      ['Provision', 'Active'],
      ['update', 'Active'],
      ['update', 'Active'],
    ]);
  });

  it('a change ESC refuses leaves the instance in Error at the version it was', async () => {
    const before = await p.deployActive(v['1.0.0.0'], 'refused-01');
    await p.fault({ operation: 'update', match: { internalId: before.esc.deployments[0].internal_deployment_id }, callback: { statusCode: 500, message: 'VIM refused the new port' }, times: 1 });
    const [path] = (await pathsFor(before.id)).up;
    const started = await p.start(before.id, 'submitVersionChange', submitBody(path.id, { mgmt_ip: '10.60.0.99' }));
    const { instance: after, action } = await p.untilEnded(started);
    expect(after.Status).toBe('Error');
    expect(action.logs).toContain('VIM refused the new port');
    expect(after.serviceManifestId).toBe(v['1.0.0.0']);
    expect(action).toMatchObject({ Status: 'Error', versionChangeDetails: expect.objectContaining({ toVersion: '2.0.0.0' }) });
    // an instance in Error is not changed: retry or resume it first
    const again = await p.call(before.id, 'submitVersionChange', submitBody(path.id));
    expect([again.status, again.body.error?.message]).toEqual([409, expect.stringContaining('is Error')]);
  });

  it('refuses a missing or unknown versionChangeId and bad values with a 400 naming the field, starting nothing', async () => {
    const active = await p.deployActive(v['1.0.0.0'], 'bad-input-01');
    const [path] = (await pathsFor(active.id)).up;
    const cases: Array<[string, unknown, string]> = [
      ['versionChangeInputParameters', {}, 'versionChangeId'],
      ['versionChangeInputParameters', { versionChangeId: '00000000-0000-5000-8000-000000000000' }, 'versionChangeId'],
      ['versionChangeInputParameters', { versionChangeId: 42 }, 'versionChangeId'],
      ['submitVersionChange', { ...submitBody(path.id), versionChangeId: undefined }, 'versionChangeId'],
      ['submitVersionChange', submitBody('not-a-path-of-this-instance'), 'versionChangeId'],
      ['submitVersionChange', submitBody(path.id, { legacy_flavor: 'x' }), 'instance_parameters.legacy_flavor'],
      ['submitVersionChange', { ...submitBody(path.id), pre_action_parameters: { x: 1 } }, 'pre_action_parameters'],
      ['submitVersionChange', { ...submitBody(path.id), plan: 'Gold' }, 'plan'],
    ];
    for (const [call, body, field] of cases) {
      const res = await p.call(active.id, call, body);
      expect({ call, body, status: res.status, code: res.body.error?.code, message: res.body.error?.message }).toEqual({ call, body, status: 400, code: 'INVALID_INPUT', message: expect.stringContaining(field) });
    }
    const after = await p.instance(active.id);
    expect(after.serviceManifestId).toBe(v['1.0.0.0']);
    expect(after.actionInstanceDetails).toHaveLength(1);
  });

  it('one change at a time: a second submit while the first runs is 409 naming the running action', async () => {
    const active = await p.deployActive(v['1.0.0.0'], 'busy-01');
    const internalId = active.esc.deployments[0].internal_deployment_id;
    await p.fault({ operation: 'update', match: { internalId }, silent: true });
    const [path] = (await pathsFor(active.id)).up;
    const first = await p.start(active.id, 'submitVersionChange', submitBody(path.id, { mgmt_ip: '10.60.0.77' }));
    await waitFor(p.simRequests, (rs) => rs.some((r) => r.method === 'PUT' && r.path.endsWith(internalId)), 'the PUT to reach ESC');
    const second = await p.call(active.id, 'submitVersionChange', submitBody(path.id));
    expect(second.status).toBe(409);
    expect(second.body.error.message).toContain(`running action 'update'`);
    expect(second.body.error.message).toContain(first.action_instance_id);
    // the stuck change is removed with its instance
    await p.call(active.id, 'cleanup', { force: true }).expect(200);
  });

  it("is 404 for another tenant's instance", async () => {
    const active = await p.deployActive(v['1.0.0.0'], 'mine-01');
    const [path] = (await pathsFor(active.id)).up;
    const answers = [
      (await p.http.get(`${INSTANCES}/${active.id}${PATHS}`).set('Authorization', B)).status,
      (await inputsFor(active.id, path.id, B)).status,
      (await p.call(active.id, 'submitVersionChange', submitBody(path.id), B)).status,
    ];
    expect(answers).toEqual([404, 404, 404]);
    expect((await p.instance(active.id)).actionInstanceDetails).toHaveLength(1);
  });
});
