import { Icon } from '@cam-esc/persistence';

/**
 * The icons CAM's catalog has in every tenant (its seed lists serviceicon_1.svg to _3.svg, and a
 * service without an image gets serviceicon_1.svg). A tenant's own icon of the same name takes
 * its place; the built-ins cannot be deleted. Plain SVG, no script: served as application/xml,
 * as the seed labels SVG.
 */
const svg = (body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64" fill="none" stroke="#1d5b8f" stroke-width="3" stroke-linejoin="round" stroke-linecap="round">${body}</svg>`;

const SHAPES: Array<[name: string, id: string, body: string]> = [
  // a service: a box
  ['serviceicon_1.svg', '00000000-0000-4000-8000-00000000c001', '<path d="M32 6 56 18v28L32 58 8 46V18z"/><path d="M8 18l24 12 24-12M32 30v28"/>'],
  // a network: linked nodes
  ['serviceicon_2.svg', '00000000-0000-4000-8000-00000000c002', '<circle cx="32" cy="14" r="7"/><circle cx="13" cy="48" r="7"/><circle cx="51" cy="48" r="7"/><path d="M28 20 17 42M36 20l11 22M20 48h24"/>'],
  // a cloud
  ['serviceicon_3.svg', '00000000-0000-4000-8000-00000000c003', '<path d="M18 48h30a10 10 0 0 0 0-20 14 14 0 0 0-27-3 11 11 0 0 0-3 23z"/>'],
];

const BUILT_AT = new Date('2020-01-01T00:00:00.000Z');

export const BUILTIN_ICONS: readonly Icon[] = SHAPES.map(([name, id, body]) => {
  const content = Buffer.from(svg(body));
  return { id, tenantId: '', name, contentType: 'application/xml', size: content.length, content: new Uint8Array(content), createdAt: BUILT_AT } as Icon;
});

export const builtinIconById = (id: string) => BUILTIN_ICONS.find((i) => i.id === id);
export const builtinIconByName = (name: string) => BUILTIN_ICONS.find((i) => i.name === name);
