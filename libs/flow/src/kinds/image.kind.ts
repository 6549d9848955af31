import { escResourceKind } from './esc-resource.kind';

/** ESC "04-Images": /v0/images/{internalImageId}. */
export const imageKind = escResourceKind({
  kind: 'image',
  templateRoot: 'image',
  inTenant: false,
  collection: 'images',
  events: { create: ['CREATE_IMAGE'], delete: ['DELETE_IMAGE'] },
  outputNames: [],
});
