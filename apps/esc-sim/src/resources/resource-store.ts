import { Injectable } from '@nestjs/common';
import { IdRegistry } from '../common/id-registry';
import { ADMIN_TENANT_ID, ADMIN_TENANT_NAME, RESOURCE_KINDS, RESOURCE_KIND_NAMES } from './resource-kinds';
import { ResourceKind, SimResource } from './resource.model';

/**
 * Every tenant, network, subnet, image, flavor and volume, and the internal ids ever used per
 * kind. Shared with the deployments, whose datamodels name (and so create) tenants.
 */
@Injectable()
export class ResourceStore {
  private readonly registries = new Map<ResourceKind, IdRegistry<SimResource>>(
    RESOURCE_KIND_NAMES.map((kind) => [kind, new IdRegistry<SimResource>()]),
  );

  of(kind: ResourceKind): IdRegistry<SimResource> {
    return this.registries.get(kind)!;
  }

  /** Created and not deleted: what GET shows. */
  visible(kind: ResourceKind, internalId: string): SimResource | undefined {
    const resource = this.of(kind).get(internalId);
    return resource?.state === 'ACTIVE' ? resource : undefined;
  }

  /** Live resources of a kind in a tenant, whatever their state. */
  inTenant(kind: ResourceKind, tenantInternalId: string): SimResource[] {
    return this.of(kind)
      .list()
      .filter((resource) => resource.tenant?.internalId === tenantInternalId);
  }

  /**
   * The tenant a deployment's datamodel names: one created through the tenants API whose internal
   * id is that name, or else a new one, made at once (as ESC does not need it created first).
   * Tenant "admin" is ESC's SystemAdminTenantId.
   */
  tenantNamed(name: string): SimResource {
    const internalId = name === ADMIN_TENANT_NAME ? ADMIN_TENANT_ID : name;
    const tenants = this.of('tenant');
    let tenant = tenants.get(internalId);
    if (!tenant) {
      const externalId = internalId === ADMIN_TENANT_ID ? ADMIN_TENANT_ID : RESOURCE_KINDS.tenant.newExternalId();
      tenant = { kind: 'tenant', internalId, externalId, spec: { name, fields: { name } }, state: 'ACTIVE', deleteRequested: false };
      tenants.add(tenant);
    }
    return tenant;
  }

  reset(): void {
    this.registries.forEach((registry) => registry.reset());
  }
}
