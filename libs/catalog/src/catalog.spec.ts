import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stepsOf } from './flow-steps';
import { resolveInputParameters, resolveTemplateParams } from './resolve-parameters';
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

  it('takes the request value, else the plan value, else the default, and lists secured names', () => {
    const { resolved, secured } = resolveInputParameters(action, plan, [{ name: 'image', value: 'ASA' }, { name: 'password', value: 's3cret' }], svc);
    expect(resolved.input_parameters).toEqual({ image: 'ASA', flavor: 'large', password: 's3cret', label: 'edge-01-vm', size: 2 });
    expect(resolved.plan_parameters).toEqual({ flavor: 'large', region: 'west' });
    expect(secured).toEqual(['password']);
  });

  it('names a missing required parameter', () => {
    expect(() => resolveInputParameters(action, plan, [{ name: 'password', value: 'x' }], svc)).toThrow(
      "resourceProperties.specifications: input parameter 'image' of action 'Provision' is required and has no value",
    );
  });

  it('refuses unknown parameters, duplicates, plan-fixed values and out-of-range counters', () => {
    const base = [{ name: 'image', value: 'a' }, { name: 'password', value: 'b' }];
    expect(() => resolveInputParameters(action, plan, [...base, { name: 'imgae', value: 'x' }], svc)).toThrow("resourceProperties.specifications[2].name: 'imgae' is not an input parameter");
    expect(() => resolveInputParameters(action, plan, [...base, { name: 'image', value: 'x' }], svc)).toThrow("'image' is given twice");
    expect(() => resolveInputParameters(action, plan, [...base, { name: 'size', value: 9 }], svc)).toThrow("'size' must be at most 4 (got 9)");
    const withRegion: CamAction = { ...action, input_parameters: [...action.input_parameters!, { name: 'region' }] };
    expect(() => resolveInputParameters(withRegion, plan, [...base, { name: 'region', value: 'east' }], svc)).toThrow("'region' is fixed by plan 'Standard'");
  });
});

describe('secured values', () => {
  it('never repeats a secured value in an error message', () => {
    const action: CamAction = { name: 'P', type: 'provision', input_parameters: [{ name: 'pin', type: 'counter', secured: true, range: { min: 1, max: 10 } }] };
    const plan: CamPlan = { name: 'Standard' };
    expect(() => resolveInputParameters(action, plan, [{ name: 'pin', value: 'hunter2' }], svc)).toThrow(/^resourceProperties.specifications: 'pin' must be a number$/);
    expect(() => resolveInputParameters(action, plan, [{ name: 'pin', value: 987654 }], svc)).toThrow(/^resourceProperties.specifications: 'pin' must be at most 10$/);
  });

  it('does not take Object.prototype names for parameters', () => {
    const ctx = { input_parameters: {}, plan_parameters: {}, svc_instance: svc };
    expect(() => resolveTemplateParams('s', { x: '${input_parameters.toString}' }, ctx)).toThrow('refers to ${input_parameters.toString}');
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
