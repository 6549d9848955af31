import { escResourceKind } from './esc-resource.kind';

/** ESC "10-Volumes": /v0/{internalTenantId}/volumes/{internalVolumeId}. */
export const volumeKind = escResourceKind({
  kind: 'volume',
  templateRoot: 'volume',
  inTenant: true,
  collection: 'volumes',
  events: { create: ['CREATE_VOLUME'], delete: ['DELETE_VOLUME'] },
  outputNames: [],
});
