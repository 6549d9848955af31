import { versionDeclarationProblems } from './version-declarations';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stepsOf } from './flow-steps';
import { resolveTemplateParams } from './parameters/interpolate';
import { MASK, maskSecrets, securedValues } from './parameters/mask-secrets';
import { ParameterLookups, resolveInputParameters, SharedParameterSet, Specification } from './parameters/resolve-input-parameters';
import { CamAction, CamPlan } from './service-document';
import { normalizeServiceDocument } from './validate-service-document';

const seedService = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/cam/service_create.request.json'), 'utf8'));
const svc = { name: 'edge-01', owner: 'admin', group: 'all', service_instance_id: 'i-1' };

describe('normalizeServiceDocument', () => {
  it("accepts CAM's own service_create.json with CAM's warnings", () => {
    const { document, warnings } = normalizeServiceDocument(seedService);
    expect(warnings).toEqual([
      "No 'Category' is provided in the source code. Assigning the service to 'CloudServices' \n",
      "No 'version' is provided in the source code. Assigning the service, the default version '1.0.0.0' \n",
    ]);
    expect(document.catalog_metadata.category).toBe('CloudServices');
    expect(document.version).toBe('1.0.0.0');
    expect(seedService.service.version).toBeUndefined(); // input left untouched
  });

  it.each([
    [{}, 'service: is required and must be an object'],
    [{ service: { catalog_metadata: {}, actions: [] } }, 'service.catalog_metadata.name: is required'],
    [{ service: { catalog_metadata: { name: 'a' } } }, 'service.actions: is required and must be an array'],
    [{ service: { catalog_metadata: { name: 'a' }, actions: [{ name: 'P' }] } }, 'service.actions[0].type: is required'],
    [
      { service: { catalog_metadata: { name: 'a' }, actions: [{ name: 'P', type: 'provision', flow: { templates: [], sequence: { '0': 7 } } }] } },
      'service.actions[0].flow.sequence.0: must be a step id (a string)',
    ],
    [
      { service: { catalog_metadata: { name: 'a' }, actions: [{ name: 'P', type: 'provision', flow: { resthooks: [{ resthook: { id: 'h' } }], error_sequence: { first: 'h' } } }] } },
      'service.actions[0].flow.error_sequence.first: a position is a whole number',
    ],
    [
      { service: { catalog_metadata: { name: 'a' }, actions: [{ name: 'P', type: 'provision', flow: { resthooks: [{ resthook: { id: 'h' } }], sequence: { '0': 'h', '1': 'h' } } }] } },
      "service.actions[0].flow.sequence.1: names 'h' a second time",
    ],
    [
      { service: { catalog_metadata: { name: 'a' }, actions: [{ name: 'P', type: 'provision', flow: { resthooks: [{ resthook: { id: 'h' } }, { resthook: { id: 'h' } }] } }] } },
      "service.actions[0].flow: step id 'h' is used by two steps",
    ],
    [
      { service: { catalog_metadata: { name: 'a' }, actions: [{ name: 'P', type: 'provision', input_parameters: [{ name: 'n', type: 'counter', range: '1-3' }] }] } },
      'service.actions[0].input_parameters[0].range: must be {"min": <number>, "max": <number>}',
    ],
    [
      { service: { catalog_metadata: { name: 'a' }, actions: [{ name: 'P', type: 'provision', flow: { resthooks: [{ resthook: { id: 'a.b' } }] } }] } },
      "service.actions[0].flow: step id 'a.b' must be 1..64 of A-Z a-z 0-9 _ -",
    ],
  ])('names the field and the rule of a bad document (%#)', (body, message) => {
    expect(() => normalizeServiceDocument(body)).toThrow(message);
  });
});

describe('stepsOf', () => {
  it('orders steps by sequence position', () => {
    const action: CamAction = {
      name: 'Provision',
      type: 'provision',
      flow: {
        templates: [{ A: { id: 'a', template_type: 'ESC' } }, { B: { id: 'b', template_type: 'ESC' } }],
        resthooks: [{ resthook: { id: 'r' } }],
        sequence: { '10': 'a', '2': 'r', '1': 'b' },
      },
    };
    expect(stepsOf(action).map((s) => [s.id, s.kind, s.sequenceNo])).toEqual([
      ['b', 'template', 0],
      ['r', 'resthook', 1],
      ['a', 'template', 2],
    ]);
  });
});

describe('resolveInputParameters', () => {
  const action: CamAction = {
    name: 'Provision',
    type: 'provision',
    input_parameters: [
      { name: 'image', required: true },
      { name: 'flavor', default: 'small' },
      { name: 'password', secured: true, required: true },
      { name: 'label', default: '${svc_instance.name}-vm' },
      { name: 'size', type: 'counter', default: 2, range: { min: 1, max: 4 } },
    ],
  };
  const plan: CamPlan = { name: 'Standard', plan_parameters: [{ name: 'flavor', default: 'large' }, { name: 'region', default: 'west', immutable: true }] };
  const sets: Record<string, SharedParameterSet> = { proxy1: { datatype: 'httpproxy', values: { host: 'p.example', password: 'pw-77' }, securedKeys: ['password'] } };
  const lookups: ParameterLookups = { connectionExists: async (n) => ['default', 'site-a'].includes(n), sharedParameter: async (n) => sets[n] ?? null };
  const resolve = (a: CamAction, specs: Specification[], p: CamPlan = plan) => resolveInputParameters(a, p, specs, svc, lookups);

  it('takes the request value, else the plan value, else the default, and lists secured names', async () => {
    const { resolved, secured } = await resolve(action, [{ name: 'image', value: 'ASA' }, { name: 'password', value: 's3cret' }]);
    expect(resolved.input_parameters).toEqual({ image: 'ASA', flavor: 'large', password: 's3cret', label: 'edge-01-vm', size: 2 });
    expect(resolved.plan_parameters).toEqual({ flavor: 'large', region: 'west' });
    expect(secured).toEqual(['password']);
  });

  it('names a missing required parameter', async () => {
    await expect(resolve(action, [{ name: 'password', value: 'x' }])).rejects.toThrow("resourceProperties.specifications.image: 'image' is required and has no value");
  });

  it('reports every problem of a request in one error naming each parameter and rule', async () => {
    const withRegion: CamAction = { ...action, input_parameters: [...action.input_parameters!, { name: 'region' }] };
    const specs = [{ name: 'password', value: 'b' }, { name: 'imgae', value: 'x' }, { name: 'password', value: 'c' }, { name: 'size', value: 9 }, { name: 'region', value: 'east' }];
    const error = await resolve(withRegion, specs).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      "5 problems with the parameters: resourceProperties.specifications[1].name: 'imgae' is not an input parameter of action 'Provision' (known: image, flavor, password, label, size, region); " +
        "resourceProperties.specifications[2].name: 'password' is given twice; resourceProperties.specifications[4].name: 'region' is fixed by plan 'Standard' and cannot be set; " +
        "resourceProperties.specifications.image: 'image' is required and has no value (give it as {\"name\": \"image\", \"value\": ...}); resourceProperties.specifications.size: 'size' must be at most 4 (got 9)",
    );
  });

  it('checks each type of the seed: boolean, counter, list, connection, sharedparameter', async () => {
    const typed: CamAction = {
      name: 'P',
      type: 'provision',
      input_parameters: [
        { name: 'on', type: 'boolean' },
        { name: 'n', type: 'counter', range: { min: 1, max: 3 } },
        { name: 'tags', type: 'list' },
        { name: 'conn', type: 'connection' },
        { name: 'proxy', type: 'sharedparameter', datatype: 'httpproxy' },
      ],
    };
    const good = await resolve(typed, [{ name: 'on', value: 'TRUE' }, { name: 'n', value: '2' }, { name: 'tags', value: ['a', 'b'] }, { name: 'conn', value: 'site-a' }, { name: 'proxy', value: 'proxy1' }]);
    expect(good.resolved.input_parameters).toEqual({ on: true, n: 2, tags: ['a', 'b'], conn: 'site-a', proxy: { host: 'p.example', password: 'pw-77' } });
    expect(good.secured).toEqual(['proxy.password']);
    const bad = await resolve(typed, [{ name: 'on', value: 'yes' }, { name: 'n', value: 1.5 }, { name: 'tags', value: 'a' }, { name: 'conn', value: 'nowhere' }, { name: 'proxy', value: 'none' }]).catch((e: Error) => e.message);
    expect(bad).toContain("'on' must be true or false");
    expect(bad).toContain("'n' must be a whole number");
    expect(bad).toContain("'tags' must be a list");
    expect(bad).toContain("'conn' names the ESC connection 'nowhere', which does not exist");
    expect(bad).toContain("'proxy' names the shared parameter 'none', which does not exist");
  });

  it("keeps a requester's value as data: references in it are not resolved", async () => {
    const { resolved } = await resolve(action, [{ name: 'image', value: '${svc_instance.owner}' }, { name: 'password', value: 'p' }]);
    expect(resolved.input_parameters.image).toBe('${svc_instance.owner}');
  });
});

describe('secured values', () => {
  it('never repeats a secured value in an error message', async () => {
    const action: CamAction = { name: 'P', type: 'provision', input_parameters: [{ name: 'pin', type: 'counter', secured: true, range: { min: 1, max: 10 } }] };
    const plan: CamPlan = { name: 'Standard' };
    const lookups: ParameterLookups = { connectionExists: async () => true, sharedParameter: async () => null };
    await expect(resolveInputParameters(action, plan, [{ name: 'pin', value: 'hunter2' }], svc, lookups)).rejects.toThrow(/^resourceProperties.specifications.pin: 'pin' must be a number$/);
    await expect(resolveInputParameters(action, plan, [{ name: 'pin', value: 987654 }], svc, lookups)).rejects.toThrow(/^resourceProperties.specifications.pin: 'pin' must be at most 10$/);
  });

  it('does not take Object.prototype names for parameters', () => {
    const ctx = { input_parameters: {}, plan_parameters: {}, svc_instance: svc };
    expect(() => resolveTemplateParams('s', { x: '${input_parameters.toString}' }, ctx)).toThrow('refers to ${input_parameters.toString}');
  });

  it('masks secrets as is, XML-escaped and JSON-escaped', () => {
    const secrets = securedValues({ input_parameters: { pw: 'a<b"c', proxy: { password: 'z9' } }, plan_parameters: {} }, ['pw', 'proxy.password']);
    expect(maskSecrets('x a<b"c a&lt;b&quot;c a<b\\"c z9', secrets)).toBe(`x ${MASK} ${MASK} ${MASK} ${MASK}`);
  });
});

describe('resolveTemplateParams', () => {
  const ctx = { input_parameters: { image: 'ASA', n: 3 }, plan_parameters: { zone: 'z1' }, svc_instance: svc };

  it('resolves input, plan and svc_instance references, and stringifies scalars', () => {
    expect(
      resolveTemplateParams('s1', { image: '${input_parameters.image}', name: '${svc_instance.name}-${svc_instance.service_instance_id}', zone: '${plan_parameters.zone}', count: 2, on: true }, ctx),
    ).toEqual({ image: 'ASA', name: 'edge-01-i-1', zone: 'z1', count: '2', on: 'true' });
  });

  it('names unknown references and non-scalar values', () => {
    expect(() => resolveTemplateParams('s1', { x: '${input_parameters.nope}' }, ctx)).toThrow("template_params.x of step 's1': refers to ${input_parameters.nope}");
    expect(() => resolveTemplateParams('s1', { x: '${svc_instance.email}' }, ctx)).toThrow('${svc_instance.email} is unknown');
    expect(() => resolveTemplateParams('s1', { x: ['a'] }, ctx)).toThrow('must be a string, number or boolean for an ESC template (got an array)');
  });
});

describe('versionDeclarationProblems', () => {
  const doc = (extra: Record<string, unknown>, meta: Record<string, unknown> = {}) => ({ version: '2.0.0.0', catalog_metadata: { name: 'x', ...meta }, actions: [], ...extra });

  it('takes upgrade_from and downgrade_to as lists of {version} next to version', () => {
    expect(versionDeclarationProblems(doc({ upgrade_from: [{ version: '1.0.0.0' }], downgrade_to: ['1.0.0.0'] }))).toEqual([]);
  });

  it('says where they go, and what is wrong with a malformed one', () => {
    expect(versionDeclarationProblems(doc({}, { upgrade_from: [{ version: '1.0.0.0' }] }))).toEqual([expect.stringMatching(/^catalog_metadata\.upgrade_from is not read: .* at service\.upgrade_from/)]);
    expect(versionDeclarationProblems(doc({ upgrade_from: '1.0.0.0' }))).toEqual([expect.stringMatching(/^upgrade_from must be a list of \{"version": "<label>"\}/)]);
    expect(versionDeclarationProblems(doc({ upgrade_from: [{ versoin: '1.0.0.0' }] }))).toEqual([expect.stringMatching(/^upgrade_from\[0\] must be \{"version": "<label>"\}; got \{"versoin":"1.0.0.0"\}/)]);
    expect(versionDeclarationProblems(doc({ downgrade_to: [{ version: '2.0.0.0' }] }))).toEqual(['downgrade_to[0] names this version itself (2.0.0.0)']);
  });
});
