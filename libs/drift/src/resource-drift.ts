import { EscListedResource } from '@cam-esc/esc';
import { GATEWAY_ID_PREFIX, HELD_STATUSES, Ownership } from './compare';

/** A resource other than a deployment (tenant, network, subnet, image, flavor, volume) on record. */
export interface RecordedResource {
  resourceId: string;
  kind: string;
  internalId: string;
  escTenant: string;
  serviceInstanceId: string;
  instanceName: string;
  status: string;
}

export interface ResourceOrphan {
  kind: string;
  internal_id: string;
  name?: string;
  /** The ESC tenant it lives in, for kinds that live in one. */
  esc_tenant?: string;
  made_by_gateway: boolean;
  deletable: boolean;
  was_of_instance?: string;
}

export interface ResourceMissing {
  kind: string;
  service_instance_id: string;
  instance_name: string;
  internal_id: string;
  esc_tenant?: string;
  gateway_status: string;
}

/** How ESC names its built-in admin tenant (by name in requests, by id in callbacks). */
const ESC_ADMIN_TENANTS = ['admin', 'SystemAdminTenantId'];

/** What differs for one list ESC gave (one kind, and one ESC tenant for kinds that live in one). */
export interface ResourceListDrift {
  orphans: ResourceOrphan[];
  missing: ResourceMissing[];
}

/**
 * One ESC list of a kind against the records of that kind (and tenant) on the same connection,
 * by the rules of the deployments' comparison: an orphan is listed but owned by no live record
 * (on a shared connection only those the tenant's own records name; only those are deletable);
 * a record is missing when ESC no longer lists what it holds as there. Resources still being
 * created or deleted are in flight and left alone.
 */
export function compareResourceList(
  kind: string,
  escTenant: string | undefined,
  listed: EscListedResource[],
  records: RecordedResource[],
  owned: (internalId: string) => Ownership | undefined,
  tenantsOwn: boolean,
): ResourceListDrift {
  const onEsc = new Set(listed.map((r) => r.internalId));
  const where = escTenant ? { esc_tenant: escTenant } : {};
  const orphans: ResourceOrphan[] = [];
  for (const r of listed) {
    // ESC's own admin tenant is nobody's orphan
    if (kind === 'tenant' && ESC_ADMIN_TENANTS.includes(r.internalId)) continue;
    const owner = owned(r.internalId);
    if (owner?.live) continue;
    const ofTenant = owner?.ofTenant ?? false;
    if (!ofTenant && !tenantsOwn) continue;
    orphans.push({ kind, internal_id: r.internalId, ...(r.name ? { name: r.name } : {}), ...where, made_by_gateway: r.internalId.startsWith(GATEWAY_ID_PREFIX), deletable: ofTenant, ...(owner?.instanceName ? { was_of_instance: owner.instanceName } : {}) });
  }
  const missing: ResourceMissing[] = records
    .filter((r) => HELD_STATUSES.includes(r.status) && r.status !== 'Undeploying' && r.status !== 'Deploying' && !onEsc.has(r.internalId))
    .map((r) => ({ kind, service_instance_id: r.serviceInstanceId, instance_name: r.instanceName, internal_id: r.internalId, ...where, gateway_status: r.status }));
  return { orphans, missing };
}
