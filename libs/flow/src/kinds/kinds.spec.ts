import { CompiledTemplate, parseEscCallback } from '@cam-esc/esc';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kindOfTemplateRoot, operationName, stepKind, verbOf } from './registry';
import { resthookKind } from './resthook.kind';
import { EscStepKind } from './step-kind';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../../test/fixtures/esc', name), 'utf8');
const identity = { resourceId: '11111111-2222-4333-8444-555555555555', internalId: 'ceg-11111111-2222-4333-8444-555555555555' };
const esc = (root: string) => kindOfTemplateRoot(root) as EscStepKind;

describe('ESC step kinds', () => {
  it.each([
    ['tenant', '<tenant><name>t</name></tenant>', '/v0/tenants/ceg-', ''],
    ['image', fixture('image_create.request.xml'), '/v0/images/ceg-', ''],
    ['flavor', fixture('flavor_create.request.xml'), '/v0/flavors/ceg-', ''],
    ['network', '<network><name>n</name><internal_tenant_id>t-1</internal_tenant_id></network>', '/v0/t-1/networks/ceg-', 't-1'],
    ['subnet', '<subnet><name>s</name><internal_tenant_id>t-1</internal_tenant_id></subnet>', '/v0/t-1/subnets/ceg-', 't-1'],
    ['volume', '<volume><name>v</name><internal_tenant_id>t-1</internal_tenant_id><size>2</size></volume>', '/v0/t-1/volumes/ceg-', 't-1'],
  ])('%s: POST and DELETE on its own path, with a gateway-owned unique name', (root, xml, pathStart, tenant) => {
    const kind = esc(root);
    const rendered = kind.renderCreate(CompiledTemplate.compile(xml), {}, identity);
    expect(rendered.request.method).toBe('POST');
    expect(rendered.request.path).toBe(`${pathStart}${identity.resourceId}`);
    expect(rendered.escTenant).toBe(tenant);
    expect(rendered.name).toMatch(new RegExp(`-${identity.resourceId}$`));
    expect(rendered.request.body).toContain(`<name>${rendered.name}</name>`);
    expect(rendered.outputs[kind.idOutput]).toBe(identity.internalId);
    expect(kind.deleteRequest({ internalId: identity.internalId, escTenant: tenant })).toEqual({ method: 'DELETE', path: rendered.request.path });
    // ESC has a PUT for tenants (and deployments) only
    expect(kind.updateRequest({ internalId: identity.internalId, escTenant: tenant }, '<x/>')).toEqual(root === 'tenant' ? { method: 'PUT', path: rendered.request.path, body: '<x/>' } : undefined);
  });

  it('takes the tenant of a network from the connection when the template names none, and refuses a path-breaking one', () => {
    const network = esc('network');
    expect(network.renderCreate(CompiledTemplate.compile('<network><name>n</name></network>'), {}, { ...identity, defaultTenant: 'site-default' }).escTenant).toBe('site-default');
    expect(() => network.renderCreate(CompiledTemplate.compile('<network><name>n</name></network>'), {}, identity)).toThrow('a network lives in an ESC tenant');
    expect(() => network.renderCreate(CompiledTemplate.compile('<network><name>n</name><internal_tenant_id>${t}</internal_tenant_id></network>'), { t: '../deployments/x' }, identity)).toThrow('is not an ESC internal id');
  });

  it('ends resource operations on their event_type, deployments on SERVICE_* stages', () => {
    const tenant = esc('tenant');
    const created = parseEscCallback(JSON.parse(fixture('callback_tenant_created.json')).headers, JSON.parse(fixture('callback_tenant_created.json')).body);
    expect(tenant.roleOf(created.stage)).toBe('final');
    expect(tenant.successStages('create')).toContain(created.stage);
    expect(tenant.successStages('delete')).toEqual(['DELETE_TENANT']);
    expect(tenant.outputsOf(created)).toMatchObject({ external_tenant_id: '484c620285ea4f588227ff3396215980' });
    expect(esc('network').successStages('create')).toEqual(['CREATE_NETWORK', 'CREATE_NET']);
    const deployment = esc('esc_datamodel');
    expect(deployment.roleOf('VM_ALIVE')).toBe('progress');
    expect(deployment.roleOf('SERVICE_ALIVE')).toBe('final');
    expect(deployment.successStages('delete')).toEqual(['SERVICE_UNDEPLOYED']);
  });

  it('reconciles from a GET: present, gone, or not an answer yet', () => {
    const image = esc('image');
    expect(image.readGet({ status: 200, body: fixture('image_create.request.xml') })).toMatchObject({ phase: 'present', outputs: { name: 'uLinuxImg' } });
    expect(image.readGet({ status: 404, body: '' }).phase).toBe('gone');
    expect(image.readGet({ status: 503, body: '' }).phase).toBe('in-progress');
  });

  it('names operations and reads them back', () => {
    expect(operationName('create', 'tenant')).toBe('CREATE_TENANT');
    expect(verbOf('DELETE_DEPLOYMENT')).toBe('delete');
    expect(stepKind('resthook')).toBe(resthookKind);
    expect(kindOfTemplateRoot('service_operation')).toBeUndefined();
  });
});

describe('resthook kind', () => {
  const ctx = { input_parameters: { token: 't0k', tags: ['a', 'b'] }, plan_parameters: {}, svc_instance: { name: 'vnf', owner: 'o', group: 'g', service_instance_id: 'i' } };

  it('renders the call with references in URL, headers and payload (a payload of one reference keeps its type)', () => {
    const request = resthookKind.render({ id: 'h', url: 'http://h.example/x/${svc_instance.name}', method: 'post', headers: { Authorization: 'Bearer ${input_parameters.token}' }, payload: { id: 2001, list: '${input_parameters.tags}' } }, ctx);
    expect(request).toEqual({ method: 'POST', path: 'http://h.example/x/vnf', headers: { Authorization: 'Bearer t0k', 'Content-Type': 'application/json' }, body: '{"id":2001,"list":["a","b"]}' });
  });

  it('refuses what it cannot call', () => {
    expect(() => resthookKind.render({ id: 'h', url: 'file:///etc/passwd' }, ctx)).toThrow('only http and https URLs are called');
    expect(() => resthookKind.render({ id: 'h', url: 'not a url' }, ctx)).toThrow('does not resolve to an absolute http(s) URL');
  });

  it('takes a 2xx (and its JSON fields) as success, anything else as failure unless ignore_errors', () => {
    expect(resthookKind.judge({ id: 'h' }, { status: 201, body: '{"id":7,"nested":{"a":1}}' })).toMatchObject({ succeeded: true, outputs: { status: 'SUCCESS', status_code: '201', id: '7' } });
    expect(resthookKind.judge({ id: 'h' }, { status: 502, body: 'bad gateway' })).toMatchObject({ succeeded: false, outputs: { status: 'FAILED' } });
    expect(resthookKind.judge({ id: 'h', ignore_errors: true }, { status: 502, body: '' }).succeeded).toBe(true);
  });
});
