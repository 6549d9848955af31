import { escResourceKind } from './esc-resource.kind';

/** ESC "03-Subnets": /v0/{internalTenantId}/subnets/{internalSubnetId}. */
export const subnetKind = escResourceKind({
  kind: 'subnet',
  templateRoot: 'subnet',
  inTenant: true,
  collection: 'subnets',
  events: { create: ['CREATE_SUBNET'], delete: ['DELETE_SUBNET'] },
  outputNames: ['internal_network_id'],
});
