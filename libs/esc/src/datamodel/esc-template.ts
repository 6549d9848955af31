import { DomainException } from '@cam-esc/errors';
import {
  childElements,
  childText,
  collectStrings,
  localName,
  parseXml,
  rootElements,
  selectAll,
  tagOf,
  textOf,
  XmlNode,
  XmlRefusedError,
  XmlSyntaxError,
} from './xml-tree';

/** Root elements of the ESC resources (and of the service and VM operations) a template can make. */
export const ESC_RESOURCE_KINDS = ['esc_datamodel', 'tenant', 'network', 'subnet', 'image', 'flavor', 'volume', 'service_operation', 'vm_operation'] as const;
export type EscResourceKind = (typeof ESC_RESOURCE_KINDS)[number];

/** Resources ESC creates from a body with its own <name>. */
const NAMED_RESOURCES: readonly string[] = ['tenant', 'network', 'subnet', 'image', 'flavor', 'volume'];

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g;

export interface ParsedEscTemplate {
  resourceKind: EscResourceKind;
  /** Placeholder names in order of first appearance. */
  placeholders: string[];
  /** Text that looks like a mistyped placeholder (`$image}`, `{image}`): stored, but worth a look. */
  warnings: string[];
}

/**
 * Checks a library template when it is stored: well-formed XML whose root is an ESC resource,
 * and for a deployment exactly one tenants/tenant/deployments/deployment with a name.
 * Throws DomainException(INVALID_INPUT) with the parser's message otherwise.
 */
export function parseEscTemplate(content: string): ParsedEscTemplate {
  const nodes = parseOrReject(content, 'content');
  const roots = rootElements(nodes);
  if (roots.length > 1) throw DomainException.invalid(`content: an XML document has one root element; this one has ${roots.length}`);
  const root = roots[0];
  const rootName = root ? localName(tagOf(root)!) : undefined;
  if (!root || !isResourceKind(rootName)) {
    throw DomainException.invalid(
      `content: root element <${rootName ?? ''}> is not an ESC resource; expected one of ${ESC_RESOURCE_KINDS.map((k) => `<${k}>`).join(', ')}`,
    );
  }
  if (rootName === 'esc_datamodel') deploymentOf(root, 'content');
  else if (NAMED_RESOURCES.includes(rootName) && !childText(root, 'name')?.trim()) {
    throw DomainException.invalid(`content: a <${rootName}> needs a <name> (the gateway makes it unique on ESC)`);
  }
  const placeholders = new Set<string>();
  const warnings = new Set<string>();
  for (const s of collectStrings(nodes)) {
    for (const m of s.matchAll(PLACEHOLDER)) placeholders.add(m[1]);
    for (const m of s.replace(PLACEHOLDER, '').matchAll(/\$[A-Za-z_][A-Za-z0-9_.-]*\}|(?<!\$)\{[A-Za-z_][A-Za-z0-9_.-]*\}/g)) {
      warnings.add(`content: '${m[0]}' looks like a mistyped placeholder; a placeholder is written \${name}`);
    }
    const malformed = /\$\{(?![A-Za-z_][A-Za-z0-9_.-]*\})[^}]*\}?/.exec(s);
    if (malformed) throw DomainException.invalid(`content: '${malformed[0]}' is not a placeholder; write \${name} with a name of letters, digits, _ . - (starting with a letter or _)`);
  }
  return { resourceKind: rootName, placeholders: [...placeholders], warnings: [...warnings] };
}

function deploymentOf(root: XmlNode, field: string): { tenant: XmlNode; deployment: XmlNode } {
  const tenants = selectAll(root, ['tenants', 'tenant']);
  const pairs = tenants.flatMap((tenant) => selectAll(tenant, ['deployments', 'deployment']).map((deployment) => ({ tenant, deployment })));
  if (pairs.length !== 1) {
    throw DomainException.invalid(
      `${field}: an <esc_datamodel> template must hold exactly one tenants/tenant/deployments/deployment (found ${pairs.length})`,
    );
  }
  const { tenant, deployment } = pairs[0];
  if (!textOf(childElements(tenant, 'name')[0] ?? {}).trim()) {
    throw DomainException.invalid(`${field}: tenants/tenant/name is required (the ESC tenant of the deployment)`);
  }
  if (!textOf(childElements(deployment, 'name')[0] ?? {}).trim()) {
    throw DomainException.invalid(`${field}: tenants/tenant/deployments/deployment/name is required`);
  }
  return pairs[0];
}

function parseOrReject(content: string, field: string): XmlNode[] {
  try {
    return parseXml(content);
  } catch (e) {
    if (e instanceof XmlRefusedError) throw DomainException.invalid(`${field}: ${e.message}`);
    if (e instanceof XmlSyntaxError) throw DomainException.invalid(`${field}: malformed XML: ${e.message}`);
    throw e;
  }
}

function isResourceKind(name: string | undefined): name is EscResourceKind {
  return (ESC_RESOURCE_KINDS as readonly string[]).includes(name ?? '');
}
