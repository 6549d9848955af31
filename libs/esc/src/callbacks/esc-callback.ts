import { childElements, childText, localName, parseXml, rootElement, selectAll, tagOf, XmlNode, XmlSyntaxError } from '../datamodel/xml-tree';

export interface EscVmInterface {
  nicId?: string;
  network?: string;
  ipAddress?: string;
  macAddress?: string;
  subnet?: string;
  gateway?: string;
}

export interface EscVmReport {
  name: string;
  uuid?: string;
  group: string;
  hostName?: string;
  state?: string;
  interfaces: EscVmInterface[];
}

export interface EscCallback {
  transactionId?: string;
  statusCode?: number;
  statusMessage?: string;
  /** Root element of the body: deployment, tenant, esc_event, ... */
  resource?: string;
  /** deployment_stage (deployment callbacks) or event_type (others). */
  stage?: string;
  internalDeploymentId?: string;
  externalDeploymentId?: string;
  deploymentName?: string;
  internalTenantId?: string;
  vm?: EscVmReport;
  /** Every direct child of the body's root that holds only text (external_tenant_id, name, ...). */
  fields: Record<string, string>;
}

export type HeaderBag = Record<string, string | string[] | undefined>;

/**
 * ESC writes the transaction header as ESC_TRANSACTION_ID in its examples and as
 * ESC-Transaction-Id in its schema; both are accepted, in any letter case.
 */
export function headerValue(headers: HeaderBag, ...names: string[]): string | undefined {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  for (const [k, v] of Object.entries(headers)) {
    if (wanted.has(k.toLowerCase())) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

export function transactionIdOf(headers: HeaderBag): string | undefined {
  return headerValue(headers, 'ESC_TRANSACTION_ID', 'ESC-Transaction-Id')?.trim() || undefined;
}

/** Reads what the gateway needs from an ESC callback; tolerant of missing parts, strict on XML syntax. */
export function parseEscCallback(headers: HeaderBag, body: string): EscCallback {
  const code = headerValue(headers, 'ESC-Status-Code', 'ESC_STATUS_CODE');
  const result: EscCallback = {
    transactionId: transactionIdOf(headers),
    // ESC's codes are HTTP-like; anything longer is not one (and would not fit the column)
    statusCode: code !== undefined && /^\d{1,9}$/.test(code.trim()) ? Number(code.trim()) : undefined,
    statusMessage: headerValue(headers, 'ESC-Status-Message', 'ESC_STATUS_MESSAGE'),
    fields: {},
  };
  if (!body.trim()) return result;
  const root = rootElement(parseXml(body));
  if (!root) return result;
  result.resource = localName(tagOf(root)!);
  result.fields = scalarFields(root);
  result.stage = childText(root, 'deployment_stage') ?? childText(root, 'event_type');
  result.internalDeploymentId = childText(root, 'internal_deployment_id');
  result.externalDeploymentId = childText(root, 'external_deployment_id');
  result.deploymentName = childText(root, 'deployment_name');
  result.internalTenantId = childText(root, 'internal_tenant_id');
  // deployment callbacks put the VM in <deployment_details>, esc_event ones in <vm_source>
  const details = childElements(root, 'deployment_details')[0] ?? childElements(root, 'vm_source')[0];
  const vmName = details && childText(details, 'vm_name');
  if (details && vmName) result.vm = vmReport(details, vmName);
  return result;
}

/** The direct children of an element that hold only text, by local name (the first of a repeated one). */
export function scalarFields(node: XmlNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const child of childElements(node)) {
    if (childElements(child).length > 0) continue;
    const name = localName(tagOf(child)!);
    if (!Object.hasOwn(out, name)) out[name] = childText(node, name)!.trim();
  }
  return out;
}

/** A VM as ESC describes it in <deployment_details> (callbacks, GET) or <vm_source> (events). */
export function vmReport(details: XmlNode, name: string): EscVmReport {
  const nested = selectAll(details, ['interfaces', 'interface']);
  const interfaceNodes = nested.length > 0 ? nested : childElements(details, 'interfaces');
  return {
    name,
    uuid: childText(details, 'vm_uuid') || undefined,
    group: childText(details, 'vm_group_name') ?? '',
    hostName: childText(details, 'host_name') || undefined,
    state: childText(details, 'vm_state_machine_state') || undefined,
    interfaces: interfaceNodes.map((i) => ({
      nicId: childText(i, 'nic_id') ?? childText(i, 'nicid'),
      network: childText(i, 'network_uuid') || childText(i, 'network') || undefined,
      ipAddress: childText(i, 'ip_address') || undefined,
      macAddress: childText(i, 'mac_address') || undefined,
      subnet: childText(i, 'subnet_uuid') || undefined,
      gateway: childText(i, 'gateway') || undefined,
    })),
  };
}

export { XmlSyntaxError };
