import { DomainException } from '@cam-esc/errors';
import { buildXml, childElements, childText, parseDeploymentState, rewriteText, rootElement, selectAll, XmlNode } from '@cam-esc/esc';
import { EscStepKind } from './step-kind';

const DEPLOYMENT_PATH = ['esc_datamodel', 'tenants', 'tenant', 'deployments', 'deployment'];

/**
 * ESC "06-Deployments": an esc_datamodel with one tenants/tenant/deployments/deployment, created by
 * POST /v0/deployments/{id}. VM_* callbacks report progress; a SERVICE_* stage ends the operation.
 */
export const deploymentKind: EscStepKind = {
  transport: 'esc',
  kind: 'deployment',
  templateRoot: 'esc_datamodel',
  idOutput: 'internal_deployment_id',
  outputNames: ['internal_deployment_id', 'external_deployment_id', 'deployment_name', 'internal_tenant_id', 'esc_internal_tenant_id', 'vm_names', 'vm_count', 'ip_addresses', 'ip_address'],

  renderCreate(template, values, identity) {
    const { nodes, missing } = template.substitute(values);
    if (missing.length) throw DomainException.invalid(`template placeholders without a value: ${missing.join(', ')}`);
    const root = rootElement(nodes)!;
    const pairs = selectAll(root, ['tenants', 'tenant']).flatMap((tenant: XmlNode) => selectAll(tenant, ['deployments', 'deployment']).map((deployment) => ({ tenant, deployment })));
    if (pairs.length !== 1) throw DomainException.invalid(`an <esc_datamodel> template must hold exactly one tenants/tenant/deployments/deployment (found ${pairs.length})`);
    const escTenant = childText(pairs[0].tenant, 'name')?.trim() ?? '';
    const templateName = childText(pairs[0].deployment, 'name')?.trim() ?? '';
    if (!escTenant) throw DomainException.invalid('tenants/tenant/name is required (the ESC tenant of the deployment)');
    if (!templateName) throw DomainException.invalid('tenants/tenant/deployments/deployment/name is required');
    if (childElements(pairs[0].tenant, 'name').length !== 1) throw DomainException.invalid('tenants/tenant has more than one <name>');
    // the gateway owns ESC identities: a name unique in the tenant, carrying the resource id
    const name = `${templateName.slice(0, 200)}-${identity.resourceId}`;
    const xml = buildXml(rewriteText(nodes, [...DEPLOYMENT_PATH, 'name'], () => name));
    return {
      request: { method: 'POST', path: `/v0/deployments/${identity.internalId}`, body: xml },
      name,
      escTenant,
      outputs: { internal_deployment_id: identity.internalId, name, deployment_name: name, internal_tenant_id: escTenant },
    };
  },

  updateRequest: (resource, body) => ({ method: 'PUT', path: `/v0/deployments/${resource.internalId}`, body }),
  deleteRequest: (resource) => ({ method: 'DELETE', path: `/v0/deployments/${resource.internalId}` }),
  getPath: (resource) => `/v0/deployments/${resource.internalId}`,

  roleOf(stage) {
    if (stage?.startsWith('VM_')) return 'progress';
    if (stage?.startsWith('SERVICE_')) return 'final';
    return 'other';
  },

  successStages: (verb) => ({ create: ['SERVICE_ALIVE'], update: ['SERVICE_UPDATED'], delete: ['SERVICE_UNDEPLOYED'] })[verb],

  outputsOf(callback) {
    const out: Record<string, string> = {};
    for (const key of ['external_deployment_id', 'external_tenant_id']) if (callback.fields[key]) out[key] = callback.fields[key];
    // ESC's own id of the tenant (SystemAdminTenantId for the datamodel's `admin`): what its per-tenant paths take;
    // internal_tenant_id stays the template's, so a later rendering of the steps that read it is unchanged
    if (callback.fields.internal_tenant_id) out.esc_internal_tenant_id = callback.fields.internal_tenant_id;
    return out;
  },

  readGet(answer) {
    if (answer.status === 404) return { phase: 'gone', state: 'not found' };
    if (answer.status < 200 || answer.status >= 300) return { phase: 'in-progress', state: `HTTP ${answer.status}` };
    const state = parseDeploymentState(answer.body);
    const phase = state.phase === 'active' ? 'present' : state.phase;
    return { phase, state: state.serviceState ?? 'no service state', vms: state.vms };
  },
};
