import { isIP } from 'node:net';
import { DeploymentSpec, InterfaceSpec, VmGroupSpec } from '../deployment.model';
import {
  XmlElement,
  XmlReadError,
  asElement,
  childElements,
  declaredNamespace,
  localName,
  readXmlDocument,
  textOf,
} from '../../common/xml-tree';

export const ESC_DATAMODEL_NAMESPACE = 'http://www.cisco.com/esc/esc';

/** Limits from the reference's "String Restrictions" section. */
const TENANT_NAME_MAX = 64;
const NAME_MAX = 255;
/** A simulator guard, not an ESC limit: keeps a typo from creating thousands of fake VMs. */
export const MAX_VMS_PER_GROUP = 100;

/** The request body is not a usable esc_datamodel; the message is sent back with a 400. */
export class DatamodelError extends Error {}

/**
 * Reads the parts of an esc_datamodel deployment request the simulator acts on.
 * Everything else (kpi_data, rules, config_data, placement, volumes...) is accepted and ignored.
 */
export function parseEscDatamodel(body: unknown): DeploymentSpec {
  if (typeof body !== 'string' || body.trim() === '') {
    throw new DatamodelError('Request body is empty: an esc_datamodel XML document is required');
  }
  let rootTag: string;
  let root: XmlElement;
  try {
    ({ rootTag, root } = readXmlDocument(body));
  } catch (error) {
    if (error instanceof XmlReadError) throw new DatamodelError(error.message);
    throw error;
  }

  if (localName(rootTag) !== 'esc_datamodel') {
    throw new DatamodelError(`Root element must be esc_datamodel, got ${rootTag}`);
  }
  const namespace = declaredNamespace(rootTag, root);
  if (namespace !== ESC_DATAMODEL_NAMESPACE) {
    const got = namespace === undefined ? 'no namespace' : `'${namespace}'`;
    throw new DatamodelError(`esc_datamodel must be in namespace ${ESC_DATAMODEL_NAMESPACE}, got ${got}`);
  }

  const tenants = single(root, 'tenants', 'esc_datamodel/tenants');
  const tenant = single(tenants, 'tenant', 'esc_datamodel/tenants/tenant');
  const tenantName = requiredText(tenant, 'name', 'tenant/name', TENANT_NAME_MAX);
  const deployments = single(tenant, 'deployments', 'tenant/deployments');
  const deployment = single(deployments, 'deployment', 'tenant/deployments/deployment');
  const deploymentName = requiredText(deployment, 'name', 'deployment/name', NAME_MAX);

  const groupElements = childElements(deployment, 'vm_group');
  if (groupElements.length === 0) {
    throw new DatamodelError('deployment/vm_group is required (at least one)');
  }
  const vmGroups = groupElements.map((group, i) => parseVmGroup(asElement(group), `deployment/vm_group[${i + 1}]`));
  assertUnique(
    vmGroups.map((group) => group.name),
    (i, name) => `deployment/vm_group[${i + 1}]/name '${name}' is used by more than one vm_group`,
  );

  return { tenantName, deploymentName, vmGroups };
}

function parseVmGroup(group: XmlElement, path: string): VmGroupSpec {
  const name = requiredText(group, 'name', `${path}/name`, NAME_MAX);
  const image = requiredText(group, 'image', `${path}/image`, NAME_MAX);
  const flavor = optionalText(group, 'flavor', `${path}/flavor`);

  const interfacesElement = optionalSingle(group, 'interfaces', `${path}/interfaces`);
  const interfaces = interfacesElement
    ? childElements(interfacesElement, 'interface').map((item, i) =>
        parseInterface(asElement(item), `${path}/interfaces/interface[${i + 1}]`),
      )
    : [];
  assertUnique(
    interfaces.map((item) => item.nicId),
    (i, nicId) => `${path}/interfaces/interface[${i + 1}]/nicid ${nicId} is used by more than one interface`,
  );

  const scaling = optionalSingle(group, 'scaling', `${path}/scaling`);
  const minActive = scaling ? parseMinActive(scaling, `${path}/scaling`) : 1;
  const staticIpPool = scaling ? parseStaticIpPools(scaling, `${path}/scaling`) : {};

  return { name, image, ...(flavor !== undefined && { flavor }), minActive, interfaces, staticIpPool };
}

function parseInterface(item: XmlElement, path: string): InterfaceSpec {
  const nicId = requiredText(item, 'nicid', `${path}/nicid`);
  if (!/^\d+$/.test(nicId)) {
    throw new DatamodelError(`${path}/nicid must be a non-negative integer, got '${nicId}'`);
  }
  const network = requiredText(item, 'network', `${path}/network`, NAME_MAX);
  const ipAddress = optionalText(item, 'ip_address', `${path}/ip_address`);
  if (ipAddress !== undefined) assertIp(ipAddress, `${path}/ip_address`);
  return { nicId, network, ...(ipAddress !== undefined && { ipAddress }) };
}

function parseMinActive(scaling: XmlElement, path: string): number {
  const minActive = optionalCount(scaling, 'min_active', `${path}/min_active`) ?? 1;
  if (minActive < 1 || minActive > MAX_VMS_PER_GROUP) {
    throw new DatamodelError(`${path}/min_active must be between 1 and ${MAX_VMS_PER_GROUP}, got ${minActive}`);
  }
  const maxActive = optionalCount(scaling, 'max_active', `${path}/max_active`);
  if (maxActive !== undefined && maxActive < minActive) {
    throw new DatamodelError(`${path}/max_active (${maxActive}) must not be less than min_active (${minActive})`);
  }
  return minActive;
}

function parseStaticIpPools(scaling: XmlElement, path: string): Record<string, string[]> {
  const pools: Record<string, string[]> = {};
  childElements(scaling, 'static_ip_address_pool').forEach((poolValue, i) => {
    const pool = asElement(poolValue);
    const poolPath = `${path}/static_ip_address_pool[${i + 1}]`;
    const network = requiredText(pool, 'network', `${poolPath}/network`, NAME_MAX);
    const addresses = childElements(pool, 'ip_address').map((value, j) => {
      const address = textOf(value) ?? '';
      assertIp(address, `${poolPath}/ip_address[${j + 1}]`);
      return address;
    });
    pools[network] = [...(pools[network] ?? []), ...addresses];
  });
  return pools;
}

function single(parent: XmlElement, name: string, path: string): XmlElement {
  const element = optionalSingle(parent, name, path);
  if (element === undefined) throw new DatamodelError(`${path} is required`);
  return element;
}

function optionalSingle(parent: XmlElement, name: string, path: string): XmlElement | undefined {
  const found = childElements(parent, name);
  if (found.length > 1) {
    throw new DatamodelError(`${path} must appear at most once, found ${found.length}`);
  }
  return found.length === 0 ? undefined : asElement(found[0]);
}

function requiredText(parent: XmlElement, name: string, path: string, maxLength?: number): string {
  const value = optionalText(parent, name, path, maxLength);
  if (value === undefined) throw new DatamodelError(`${path} is required`);
  return value;
}

/** Absent or empty elements both count as "not given". */
function optionalText(parent: XmlElement, name: string, path: string, maxLength?: number): string | undefined {
  const found = childElements(parent, name);
  if (found.length === 0) return undefined;
  if (found.length > 1) throw new DatamodelError(`${path} must appear at most once, found ${found.length}`);
  const text = textOf(found[0]);
  if (text === undefined) throw new DatamodelError(`${path} must be a text value, not an element with children`);
  if (text === '') return undefined;
  if (maxLength !== undefined && text.length > maxLength) {
    throw new DatamodelError(`${path} must be at most ${maxLength} characters, got ${text.length}`);
  }
  return text;
}

function optionalCount(parent: XmlElement, name: string, path: string): number | undefined {
  const text = optionalText(parent, name, path);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new DatamodelError(`${path} must be a non-negative integer, got '${text}'`);
  return Number(text);
}

function assertIp(address: string, path: string): void {
  if (isIP(address) === 0) throw new DatamodelError(`${path} must be an IPv4 or IPv6 address, got '${address}'`);
}

function assertUnique(values: string[], message: (index: number, value: string) => string): void {
  const seen = new Set<string>();
  values.forEach((value, i) => {
    if (seen.has(value)) throw new DatamodelError(message(i, value));
    seen.add(value);
  });
}
