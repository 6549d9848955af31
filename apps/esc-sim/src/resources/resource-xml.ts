import { acceptedXml, AcceptedOperation, xmlDocument } from '../common/esc-xml';
import { RESOURCE_KINDS, ResourceKindInfo } from './resource-kinds';
import { SimResource } from './resource.model';

export interface ResourceXmlOptions {
  /** CREATE_TENANT, DELETE_NETWORK...: callbacks only. */
  eventType?: string;
  /** false for a failed create: no VIM resource, no external id. */
  withExternalId?: boolean;
}

/**
 * A resource as the reference's callback examples show it: the request's elements plus the
 * internal and external ids (and event_type in callbacks). GET answers are the same without
 * event_type.
 */
export function resourceXml(resource: SimResource, options: ResourceXmlOptions = {}): string {
  return xmlDocument(resource.kind, resourceFields(resource, options));
}

export function resourceListXml(info: ResourceKindInfo, resources: SimResource[]): string {
  return xmlDocument(info.listTag, { [info.kind]: resources.map((resource) => resourceFields(resource)) });
}

export function resourceAcceptedXml(operation: AcceptedOperation, resource: SimResource, transactionId: string): string {
  const { kind, internalId, tenant, spec } = resource;
  const subject = {
    ...(RESOURCE_KINDS[kind].tenantScoped && tenant && { internal_tenant_id: tenant.internalId }),
    [`internal_${kind}_id`]: internalId,
    name: spec.name,
  };
  return acceptedXml(operation, subject, transactionId);
}

function resourceFields(resource: SimResource, { eventType, withExternalId = true }: ResourceXmlOptions = {}): Record<string, unknown> {
  const { kind, tenant, network } = resource;
  const info = RESOURCE_KINDS[kind];
  const assigned: Record<string, string> = {
    ...(eventType !== undefined && { event_type: eventType }),
    ...(withExternalId && { [`external_${kind}_id`]: resource.externalId }),
    [`internal_${kind}_id`]: resource.internalId,
    ...(tenant && { external_tenant_id: tenant.externalId, internal_tenant_id: tenant.internalId }),
    ...(network && { external_network_id: network.externalId, internal_network_id: network.internalId }),
  };
  return ordered({ ...info.defaults, ...resource.spec.fields, ...assigned }, info.order);
}

/** The example's order first, then the rest as they came; alphabetical when there is no example. */
function ordered(fields: Record<string, unknown>, order: readonly string[] | undefined): Record<string, unknown> {
  const names = Object.keys(fields);
  const sorted = order
    ? [...order.filter((name) => name in fields), ...names.filter((name) => !order.includes(name))]
    : names.sort();
  return Object.fromEntries(sorted.map((name) => [name, fields[name]]));
}
