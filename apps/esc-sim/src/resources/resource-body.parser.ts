import { XmlElement, XmlReadError, isElement, localName, readXmlDocument, textOf } from '../common/xml-tree';
import { ResourceKindInfo } from './resource-kinds';
import { ResourceSpec } from './resource.model';

/** The request body is not a usable resource document; the message is sent back with a 400. */
export class ResourceBodyError extends Error {}

/** The ids in the request path, which the body must not contradict. */
export interface PathIds {
  internalId: string;
  tenantId?: string;
}

/**
 * Reads a POST/PUT body: a <tenant>, <network>... root in any namespace (the reference's examples
 * use urn:ietf:params:xml:ns:netconf:base:1.0) with a required <name>. A subnet also names its
 * network, by <internal_network_id> or <network>. Other elements are kept as they are.
 */
export function parseResourceBody(info: ResourceKindInfo, body: unknown, path: PathIds): ResourceSpec {
  const { kind } = info;
  if (typeof body !== 'string' || body.trim() === '') {
    throw new ResourceBodyError(`Request body is empty: a <${kind}> XML document is required`);
  }
  let document: ReturnType<typeof readXmlDocument>;
  try {
    document = readXmlDocument(body);
  } catch (error) {
    if (error instanceof XmlReadError) throw new ResourceBodyError(error.message);
    throw error;
  }
  if (localName(document.rootTag) !== kind) {
    throw new ResourceBodyError(`Root element must be ${kind}, got ${document.rootTag}`);
  }

  const fields = withoutNamespaces(document.root, true);
  const name = leafText(fields, 'name', kind, info.nameMax);
  if (name === undefined) throw new ResourceBodyError(`${kind}/name is required`);
  assertSameId(fields, `internal_${kind}_id`, path.internalId, kind);
  if (info.tenantScoped && path.tenantId !== undefined) assertSameId(fields, 'internal_tenant_id', path.tenantId, kind);
  const networkRef = kind === 'subnet' ? subnetNetwork(fields) : undefined;

  for (const field of assignedFields(info)) delete fields[field];
  return { name, fields, ...(networkRef !== undefined && { networkRef }) };
}

/** Elements the simulator writes itself in callbacks and GET answers. */
function assignedFields(info: ResourceKindInfo): string[] {
  const fields = ['event_type', `internal_${info.kind}_id`, `external_${info.kind}_id`];
  if (info.tenantScoped || info.reportsAdminTenant) fields.push('internal_tenant_id', 'external_tenant_id');
  if (info.kind === 'subnet') fields.push('internal_network_id', 'external_network_id');
  return fields;
}

function subnetNetwork(fields: XmlElement): string {
  const byId = leafText(fields, 'internal_network_id', 'subnet');
  const byName = leafText(fields, 'network', 'subnet');
  if (byId !== undefined && byName !== undefined && byId !== byName) {
    throw new ResourceBodyError(`subnet/internal_network_id '${byId}' and subnet/network '${byName}' name different networks`);
  }
  const ref = byId ?? byName;
  if (ref === undefined) throw new ResourceBodyError('subnet/internal_network_id (or subnet/network) is required');
  return ref;
}

function assertSameId(fields: XmlElement, field: string, pathValue: string, kind: string): void {
  const given = leafText(fields, field, kind);
  if (given !== undefined && given !== pathValue) {
    throw new ResourceBodyError(`${kind}/${field} '${given}' does not match the request path's '${pathValue}'`);
  }
}

/** Text of a child element; undefined when absent or empty. */
function leafText(fields: XmlElement, name: string, kind: string, maxLength?: number): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new ResourceBodyError(`${kind}/${name} must appear at most once, found ${value.length}`);
  const text = textOf(value);
  if (text === undefined) throw new ResourceBodyError(`${kind}/${name} must be a text value, not an element with children`);
  if (maxLength !== undefined && text.length > maxLength) {
    throw new ResourceBodyError(`${kind}/${name} must be at most ${maxLength} characters, got ${text.length}`);
  }
  return text === '' ? undefined : text;
}

/**
 * The element with prefixes stripped from tag names and namespace declarations dropped, so it can
 * be echoed in the simulator's own (NETCONF base namespace) documents. The root loses all its
 * attributes.
 */
function withoutNamespaces(element: XmlElement, isRoot = false): XmlElement {
  const copy: XmlElement = {};
  for (const [key, value] of Object.entries(element)) {
    if (key.startsWith('@_')) {
      if (!isRoot && key !== '@_xmlns' && !key.startsWith('@_xmlns:')) copy[key] = value;
      continue;
    }
    const name = key === '#text' ? key : localName(key);
    const converted = Array.isArray(value) ? value.map(convert) : convert(value);
    copy[name] = copy[name] === undefined ? converted : [copy[name], converted].flat();
  }
  return copy;
}

function convert(value: unknown): unknown {
  return isElement(value) ? withoutNamespaces(value) : value;
}
