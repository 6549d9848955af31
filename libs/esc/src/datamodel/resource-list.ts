import { childText, parseXml, rootElement, selectAll } from './xml-tree';

export interface EscListedResource {
  internalId: string;
  name?: string;
}

/**
 * ESC's list of one kind of resource (GET /v0/tenants, /v0/images, /v0/flavors,
 * /v0/{tenant}/networks, ...): `<tenants><tenant>…</tenant></tenants>` in XML, or the JSON list
 * the reference's tenant model shows; each entry named by its `internal_<kind>_id`.
 */
export function parseResourceList(body: string, kind: string): EscListedResource[] {
  const idField = `internal_${kind}_id`;
  const text = body.trim();
  if (text.startsWith('[') || text.startsWith('{')) {
    const parsed: unknown = JSON.parse(text);
    const list = Array.isArray(parsed) ? parsed : Object.values(parsed as Record<string, unknown>).find(Array.isArray) ?? [parsed];
    return (list as unknown[]).flatMap((entry) => {
      const e = (entry ?? {}) as Record<string, unknown>;
      const internalId = typeof e[idField] === 'string' ? (e[idField] as string).trim() : '';
      return internalId ? [{ internalId, ...(typeof e.name === 'string' ? { name: e.name } : {}) }] : [];
    });
  }
  const root = rootElement(parseXml(text));
  if (!root) return [];
  const entries = childText(root, idField) !== undefined ? [root] : selectAll(root, [kind]);
  return entries.flatMap((entry) => {
    const internalId = childText(entry, idField)?.trim();
    return internalId ? [{ internalId, name: childText(entry, 'name')?.trim() }] : [];
  });
}
