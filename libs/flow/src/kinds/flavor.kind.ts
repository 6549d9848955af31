import { escResourceKind } from './esc-resource.kind';

/** ESC "05-Flavors": /v0/flavors/{internalFlavorId}. */
export const flavorKind = escResourceKind({
  kind: 'flavor',
  templateRoot: 'flavor',
  inTenant: false,
  collection: 'flavors',
  events: { create: ['CREATE_FLAVOR'], delete: ['DELETE_FLAVOR'] },
  outputNames: [],
});
