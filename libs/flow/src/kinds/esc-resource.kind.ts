import { DomainException } from '@cam-esc/errors';
import { CompiledTemplate, EscAnswer, EscCallback, EscResourceKind, buildXml, childElements, childText, parseXml, rewriteText, rootElement, scalarFields } from '@cam-esc/esc';
import { CallbackRole, EscReading, EscStepKind, NewIdentity, RenderedCreate, ResourceAddress, StepRequest, StepVerb } from './step-kind';

/** ESC's internal ids (and so every path segment the gateway builds): 1..72 unreserved characters. */
export const INTERNAL_ID = /^[A-Za-z0-9._-]{1,72}$/;
/** An output of an earlier step, as planning leaves it (resolved before anything is sent). */
const NOT_YET_KNOWN = /^\$\{templates\.[A-Za-z0-9_.-]+\}$/;

/** What distinguishes one ESC resource API from another (sections 01..05 and 10 of the ESC reference). */
export interface EscResourceDescriptor {
  kind: string;
  templateRoot: EscResourceKind;
  /** Whether it lives under a tenant: `/v0/{internalTenantId}/networks/{id}`. */
  inTenant: boolean;
  /** The collection path: `/v0/tenants`, `/v0/images`, or under the tenant `networks`. */
  collection: string;
  /** event_type of the callback that ends each operation (ESC prints more than one spelling for some); no `update`: ESC has no PUT for it. */
  events: Partial<Record<StepVerb, readonly string[]>>;
  /** Outputs the callback adds, for the checker's sake (external_<kind>_id, ...). */
  outputNames: readonly string[];
}

/**
 * A step kind for an ESC resource created by `POST {collection}/{internal id}` with its XML, deleted by
 * `DELETE` on the same path, and ended by one callback whose event_type names the operation. Its
 * `<name>` is made unique by the gateway; one living in a tenant takes the tenant from its own
 * `<internal_tenant_id>` (or the connection's default tenant).
 */
export function escResourceKind(d: EscResourceDescriptor): EscStepKind {
  const idOutput = `internal_${d.kind}_id`;
  const path = (resource: ResourceAddress) =>
    d.inTenant ? `/v0/${resource.escTenant}/${d.collection}/${resource.internalId}` : `/v0/${d.collection}/${resource.internalId}`;
  const finals = new Set(Object.values(d.events).flat());
  return {
    transport: 'esc',
    kind: d.kind,
    templateRoot: d.templateRoot,
    idOutput,
    outputNames: [idOutput, `external_${d.kind}_id`, ...(d.inTenant ? ['internal_tenant_id'] : []), ...d.outputNames],

    renderCreate(template: CompiledTemplate, values, identity: NewIdentity): RenderedCreate {
      const { nodes, missing } = template.substitute(values);
      if (missing.length) throw DomainException.invalid(`template placeholders without a value: ${missing.join(', ')}`);
      const root = rootElement(nodes);
      const templateName = root ? childText(root, 'name')?.trim() : undefined;
      if (!root || !templateName) throw DomainException.invalid(`a <${d.templateRoot}> template needs a <name>`);
      const name = `${templateName.slice(0, 200)}-${identity.resourceId}`;
      let escTenant = '';
      if (d.inTenant) {
        escTenant = childText(root, 'internal_tenant_id')?.trim() || identity.defaultTenant || '';
        if (!escTenant) {
          throw DomainException.invalid(
            `a ${d.kind} lives in an ESC tenant: give <internal_tenant_id> in the template (e.g. \${templates.<tenant step>.internal_tenant_id}) or a default tenant on the ESC connection`,
          );
        }
        // before the steps ran (deploy checks, dry run) the tenant may still be an earlier step's output
        if (!INTERNAL_ID.test(escTenant) && !NOT_YET_KNOWN.test(escTenant)) throw DomainException.invalid(`<internal_tenant_id> '${escTenant.slice(0, 80)}' is not an ESC internal id (1..72 of A-Z a-z 0-9 - . _)`);
      }
      const named = rewriteText(nodes, [d.templateRoot, 'name'], () => name);
      const outputs: Record<string, string> = { [idOutput]: identity.internalId, name };
      if (d.inTenant) outputs.internal_tenant_id = escTenant;
      return { request: { method: 'POST', path: path({ escTenant, internalId: identity.internalId }), body: buildXml(named) }, name, escTenant, outputs };
    },

    updateRequest(resource, body) {
      return d.events.update ? { method: 'PUT', path: path(resource), body } : undefined;
    },

    deleteRequest(resource): StepRequest {
      return { method: 'DELETE', path: path(resource) };
    },

    getPath: path,

    listPath: (escTenant) => (d.inTenant ? `/v0/${escTenant}/${d.collection}` : `/v0/${d.collection}`),

    roleOf(stage): CallbackRole {
      if (!stage) return 'other';
      return finals.has(stage) || /^(CREATE|UPDATE|DELETE)_/.test(stage) ? 'final' : 'other';
    },

    successStages(verb) {
      return d.events[verb] ?? [];
    },

    outputsOf(callback: EscCallback) {
      const { event_type: _event, ...fields } = callback.fields;
      return fields;
    },

    readGet(answer: EscAnswer): EscReading {
      if (answer.status === 404) return { phase: 'gone', state: 'not found' };
      if (answer.status < 200 || answer.status >= 300) return { phase: 'in-progress', state: `HTTP ${answer.status}` };
      let outputs: Record<string, string> = {};
      try {
        const root = rootElement(parseXml(answer.body));
        // the answer is the resource, or a list holding it
        const resource = root && (childElements(root, d.templateRoot)[0] ?? root);
        if (resource) outputs = scalarFields(resource);
      } catch {
        // an unreadable body still says the resource exists
      }
      return { phase: 'present', state: 'present on ESC', outputs };
    },
  };
}
