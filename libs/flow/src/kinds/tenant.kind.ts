import { escResourceKind } from './esc-resource.kind';

/** ESC "01-Tenants": /v0/tenants/{internal_tenant_id}. */
export const tenantKind = escResourceKind({
  kind: 'tenant',
  templateRoot: 'tenant',
  inTenant: false,
  collection: 'tenants',
  events: { create: ['CREATE_TENANT'], update: ['UPDATE_TENANT'], delete: ['DELETE_TENANT'] },
  outputNames: [],
});
