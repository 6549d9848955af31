import { randomUUID } from 'node:crypto';
import { ResourceKind } from './resource.model';

/** ESC reports the admin tenant under this id (deployment and image callback examples). */
export const ADMIN_TENANT_NAME = 'admin';
export const ADMIN_TENANT_ID = 'SystemAdminTenantId';

export interface ResourceKindInfo {
  kind: ResourceKind;
  /** For messages: "Tenant", "Network"... */
  label: string;
  /** Root element of GET lists. */
  listTag: string;
  /** network, subnet, volume live under /v0/{internalTenantId}/... */
  tenantScoped: boolean;
  /** Only tenants have a PUT. */
  updatable: boolean;
  /** Images: callbacks carry the admin tenant's ids, as in the reference example. */
  reportsAdminTenant: boolean;
  /** <name> limit from the reference's "String Restrictions". */
  nameMax: number;
  /**
   * Element order of the reference's callback example; other elements follow in request order.
   * Kinds without an example list all elements alphabetically, as ESC's examples nearly do.
   */
  order?: readonly string[];
  /** Elements the reference's callback example has although its request does not. */
  defaults: Readonly<Record<string, string>>;
  /** ESC-Status-Message of a successful callback. */
  messages: { create: string; update?: string; delete: string };
  /** A made-up VIM id, shaped like the reference example's. */
  newExternalId(): string;
}

function describe(kind: ResourceKind, label: string, details: Partial<ResourceKindInfo> = {}): ResourceKindInfo {
  return {
    kind,
    label,
    listTag: `${kind}s`,
    tenantScoped: false,
    updatable: false,
    reportsAdminTenant: false,
    nameMax: 255,
    defaults: {},
    messages: { create: `${label} successfully created`, delete: `${label} successfully deleted` },
    newExternalId: () => randomUUID(),
    ...details,
  };
}

// Messages, defaults and element orders of tenant, image and flavor follow the reference's
// callback examples; the others' (and all delete/update messages) are the simulator's own.
export const RESOURCE_KINDS: Readonly<Record<ResourceKind, ResourceKindInfo>> = {
  tenant: describe('tenant', 'Tenant', {
    updatable: true,
    nameMax: 64,
    order: ['enabled', 'event_type', 'external_tenant_id', 'internal_tenant_id', 'name', 'managed_resource'],
    defaults: { enabled: 'true' },
    messages: {
      create: 'Tenant successfully created',
      update: 'Tenant successfully updated',
      delete: 'Tenant successfully deleted',
    },
    // 484c620285ea4f588227ff3396215980 in the reference: 32 hex digits.
    newExternalId: () => randomUUID().replace(/-/g, ''),
  }),
  network: describe('network', 'Network', { tenantScoped: true }),
  subnet: describe('subnet', 'Subnet', { tenantScoped: true }),
  image: describe('image', 'Image', {
    reportsAdminTenant: true,
    order: [
      'disk_bus', 'e1000_net', 'event_type', 'external_image_id', 'external_tenant_id', 'imageisenabled',
      'name', 'internal_image_id', 'internal_tenant_id', 'visibility', 'src',
    ],
    defaults: { e1000_net: 'false', imageisenabled: 'true', visibility: 'public' },
  }),
  flavor: describe('flavor', 'Flavor', {
    order: ['ephemeral_disk_mb', 'event_type', 'external_flavor_id', 'name', 'internal_flavor_id', 'memory_mb', 'vcpus'],
    defaults: { ephemeral_disk_mb: '0' },
    // Sic, as in the reference's example.
    messages: { create: 'Flavor creation completed successfully created', delete: 'Flavor successfully deleted' },
  }),
  volume: describe('volume', 'Volume', { tenantScoped: true }),
};

export const RESOURCE_KIND_NAMES = Object.keys(RESOURCE_KINDS) as ResourceKind[];
