import { escResourceKind } from './esc-resource.kind';

/** ESC "02-Networks": /v0/{internalTenantId}/networks/{internalNetworkId}. The reference spells the event CREATE_NETWORK and CREATE_NET. */
export const networkKind = escResourceKind({
  kind: 'network',
  templateRoot: 'network',
  inTenant: true,
  collection: 'networks',
  events: { create: ['CREATE_NETWORK', 'CREATE_NET'], delete: ['DELETE_NETWORK', 'DELETE_NET'] },
  outputNames: [],
});
