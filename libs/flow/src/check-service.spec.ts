import { blockingMessage, checkServiceDocument, formatWarning, TemplateInfo } from './check-service';
import { CamServiceDocument } from '@cam-esc/catalog';

const asa: TemplateInfo = { name: 'asa', version: '1.0', resourceKind: 'esc_datamodel', placeholders: ['image', 'ip'] };
const network: TemplateInfo = { name: 'net', version: '1', resourceKind: 'network', placeholders: ['tenant'] };
const stop: TemplateInfo = { name: 'stop', version: '1', resourceKind: 'service_operation', placeholders: [] };
const find = async (name: string, version: string) => [asa, network, stop].find((t) => t.name === name && t.version === version) ?? null;

function service(step: Record<string, unknown>, extra: Partial<CamServiceDocument> = {}): CamServiceDocument {
  return {
    catalog_metadata: { name: 's' },
    actions: [
      {
        name: 'Provision',
        type: 'provision',
        input_parameters: [{ name: 'image', type: 'string' }],
        flow: { templates: [{ ASA: { id: 'a1', template_type: 'ESC', template_name: 'asa', version: '1.0', ...step } }], sequence: { '0': 'a1' } },
      },
    ],
    plans: [{ name: 'Standard', plan_parameters: [] }],
    ...extra,
  };
}

describe('checkServiceDocument (createService warnings = deploy errors)', () => {
  it('finds nothing in a runnable service', async () => {
    expect(await checkServiceDocument(service({ template_params: { image: '${input_parameters.image}', ip: '10.0.0.1' } }), find)).toEqual([]);
  });

  it.each([
    [{ template_type: 'Terraform' }, "template 'asa' is of type 'Terraform'; only 'ESC' templates can run on ESC"],
    [{ template_name: 'nope' }, "ESC template 'nope' version '1.0' is not in the template library"],
    [{ template_name: 'stop', version: '1', template_params: {} }, "template 'stop' is a <service_operation>: it acts on a deployment that exists and runs as an instance operation, not as a flow step"],
    [{ template_params: { image: '${templates.a1.name}', ip: 'x' } }, "template_params.image refers to ${templates.a1.name}, but step 'a1' does not run before this one"],
    [{ cloud_connection_name: 'site-b' }, "cloud_connection_name 'site-b' names no ESC connection"],
    [{ template_params: { image: 'x' } }, "template_params give no value for placeholder(s) ${ip} of template 'asa'"],
    [{ template_params: { image: '${input_parameter.image}', ip: 'x' } }, "template_params.image refers to ${input_parameter.image}: 'input_parameter' is not a namespace"],
    [{ template_params: { image: '${input_parameters.img}', ip: 'x' } }, "template_params refer to ${input_parameters.img}, which neither the action's input parameters nor any plan defines"],
  ])('blocks a deploy: %j', async (step, message) => {
    const problems = await checkServiceDocument(service({ template_params: { image: 'x', ip: 'y' }, ...step }), find, { connectionExists: async (n) => n === 'site-a' });
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining(message)]);
    expect(blockingMessage(problems)).toBe(`Action 'Provision', step 'a1': ${problems[0].message}`);
    expect(formatWarning(problems[0])).toBe(`Action 'Provision', step 'a1': ${problems[0].message} \n`);
  });

  it.each([
    [{ template_params: { image: 'x', ip: 'y', colour: 'red' } }, "template_params name 'colour', which template 'asa' has no placeholder for"],
    [{ template_params: { image: '$image}', ip: 'y' } }, 'looks like a mistyped placeholder'],
    [{ template_params: { image: '{image}', ip: 'y' } }, 'looks like a mistyped placeholder'],
  ])('advises without blocking: %j', async (step, message) => {
    const problems = await checkServiceDocument(service(step), find);
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining(message)]);
    expect(blockingMessage(problems)).toBeUndefined();
  });

  it('reports a sequence entry that names no step, duplicate parameters and unknown parameter types', async () => {
    const doc = service({ template_params: { image: 'x', ip: 'y' } });
    doc.actions[0].flow!.sequence = { '0': 'a1', '1': 'ghost' };
    doc.actions[0].input_parameters = [
      { name: 'image', type: 'string' },
      { name: 'image', type: 'text' },
    ];
    doc.plans![0].plan_parameters = [{ name: 'flavor', type: 'integer' }];
    const messages = (await checkServiceDocument(doc, find)).map((p) => `${p.where}: ${p.message}`);
    expect(messages).toEqual([
      expect.stringContaining("Plan 'Standard': parameter 'flavor' has the unknown type 'integer'"),
      "Action 'Provision': parameter 'image' is defined twice",
      expect.stringContaining("Action 'Provision': parameter 'image' has the unknown type 'text'"),
      "Action 'Provision': flow.sequence.1 names 'ghost', which is no template, resthook or notification of the flow",
    ]);
  });

  it('runs every ESC resource kind and resthooks, and lets a step read the outputs of the steps before it', async () => {
    const doc = service({ template_params: { image: '${templates.net1.internal_network_id}', ip: '${templates.hook.id}' } });
    const flow = doc.actions[0].flow!;
    flow.templates!.unshift({ NET: { id: 'net1', template_type: 'ESC', template_name: 'net', version: '1', template_params: { tenant: 't' }, cloud_connection_name: 'site-a' } });
    flow.resthooks = [{ resthook: { id: 'hook', url: 'http://example.com/${templates.net1.internal_network_id}', method: 'POST', payload: { n: '${templates.net1.name}' } } }];
    flow.sequence = { '0': 'net1', '1': 'hook', '2': 'a1' };
    expect(await checkServiceDocument(doc, find, { connectionExists: async (n) => n === 'site-a' })).toEqual([]);
  });

  it('checks resthooks and the error_sequence', async () => {
    const doc = service({ template_params: { image: 'x', ip: 'y' } });
    const flow = doc.actions[0].flow!;
    flow.resthooks = [{ resthook: { id: 'hook', method: 'FETCH', timeout: 9999, payload: { a: '${input_parameters.nope}' } } }];
    flow.error_sequence = { '0': 'hook', '1': 'a1' };
    const messages = (await checkServiceDocument(doc, find)).map((p) => `${p.where}: ${p.message}`);
    expect(messages).toEqual([
      "Action 'Provision': flow.error_sequence names 'a1', which the sequence runs already; an error step must be a step of its own",
      "Action 'Provision', error step 'hook': url is required (an http or https URL)",
      "Action 'Provision', error step 'hook': method 'FETCH' is not one of GET, POST, PUT, PATCH, DELETE",
      "Action 'Provision', error step 'hook': timeout must be a number of seconds between 1 and 300",
      "Action 'Provision', error step 'hook': its texts refer to ${input_parameters.nope}, which neither the action's input parameters nor any plan defines",
    ]);
  });

  it('narrows to the deployed action and plan', async () => {
    const doc = service({ template_params: { image: 'x', ip: 'y' } });
    doc.actions.push({ name: 'Broken', type: 'custom', flow: { sequence: { '0': 'x' } } });
    doc.plans!.push({ name: 'Other', plan_parameters: [{ name: 'p', type: 'weird' }] });
    expect(await checkServiceDocument(doc, find, { actionName: 'Provision', planName: 'Standard' })).toEqual([]);
    expect(await checkServiceDocument(doc, find)).toHaveLength(2);
  });
});
