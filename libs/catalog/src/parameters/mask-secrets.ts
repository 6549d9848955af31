/** How a secured value is shown in every answer, log line and dry run (as the CAM seed shows it). */
export const MASK = '*******';

/**
 * The secret values of an action: each secured name (`password`, or `proxy.password` for a secured
 * key of a shared parameter) looked up in the input and plan parameters. Objects give all their leaves.
 */
export function securedValues(parameters: unknown, securedNames: readonly string[]): string[] {
  if (securedNames.length === 0) return [];
  const bags = (parameters ?? {}) as { input_parameters?: Record<string, unknown>; plan_parameters?: Record<string, unknown> };
  const out = new Set<string>();
  for (const name of securedNames) {
    for (const bag of [bags.input_parameters, bags.plan_parameters]) collectLeaves(readPath(bag, name), out);
  }
  return [...out].filter((v) => v.length > 0);
}

/**
 * The text with every secret value replaced by MASK: as is, and in the forms it may be echoed in
 * (XML-escaped, split around `]]>` in CDATA, JSON-escaped, percent-encoded in a URL).
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const value of [...secrets].sort((a, b) => b.length - a.length)) {
    const forms = [value, escapeXml(value), value.replaceAll(']]>', ']]]]><![CDATA[>'), JSON.stringify(value).slice(1, -1), encodeURIComponent(value), encodeURI(value)];
    for (const form of new Set(forms)) if (form) masked = masked.replaceAll(form, MASK);
  }
  return masked;
}

/** Every string of a JSON value masked (keys and structure untouched). */
export function maskSecretsDeep<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return maskSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => maskSecretsDeep(v, secrets)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecretsDeep(v, secrets)])) as T;
  return value;
}

function readPath(bag: Record<string, unknown> | undefined, path: string): unknown {
  if (!bag) return undefined;
  if (Object.hasOwn(bag, path)) return bag[path];
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  const head = bag[path.slice(0, dot)];
  return head && typeof head === 'object' ? readPath(head as Record<string, unknown>, path.slice(dot + 1)) : undefined;
}

function collectLeaves(value: unknown, out: Set<string>): void {
  if (typeof value === 'string' || typeof value === 'number') out.add(String(value));
  else if (Array.isArray(value)) value.forEach((v) => collectLeaves(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => collectLeaves(v, out));
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
