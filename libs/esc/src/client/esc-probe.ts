import { childElements, localName, parseXml, rootElement, tagOf, XmlSyntaxError } from '../datamodel/xml-tree';
import { EscAnswer, EscClient, EscUnreachableError } from './esc-client';
import { EscTarget } from './esc-target';

/** What one `GET /v0/tenants` on a connection tells about it. */
export interface EscProbe {
  reachable: boolean;
  httpStatus: number | null;
  /** ESC took the credentials (it guards its whole tree: any answer but 401/403 means it did). */
  authenticated: boolean;
  /** Tenants ESC listed, when the answer could be read. */
  tenants: number | null;
  latencyMs: number;
  message: string;
}

export const PROBE_PATH = '/v0/tenants';

/** Reaches the connection with its credentials; an ESC that is down or refuses them is a report, not an error. */
export async function probeEsc(client: Pick<EscClient, 'call'>, target: EscTarget): Promise<EscProbe> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let answer: EscAnswer;
  try {
    answer = await client.call({ method: 'GET', path: PROBE_PATH }, target);
  } catch (e) {
    if (!(e instanceof EscUnreachableError)) throw e;
    return { reachable: false, httpStatus: null, authenticated: false, tenants: null, latencyMs: elapsed(), message: e.message };
  }
  const latencyMs = elapsed();
  const base = { reachable: true, httpStatus: answer.status, latencyMs };
  if (answer.status === 401 || answer.status === 403) {
    return { ...base, authenticated: false, tenants: null, message: `ESC refused the credentials (HTTP ${answer.status}): check username and password` };
  }
  if (answer.status < 200 || answer.status > 299) {
    return { ...base, authenticated: true, tenants: null, message: `ESC took the credentials but answered HTTP ${answer.status} to GET ${PROBE_PATH}: check that the url ends with /ESCManager` };
  }
  const tenants = countTenants(answer.body);
  return { ...base, authenticated: true, tenants, message: tenants === null ? `ESC answered GET ${PROBE_PATH}, in a form that lists no tenants` : `ESC answered with ${tenants} tenant(s)` };
}

/** ESC lists tenants as `<tenants><tenant>…</tenant>…</tenants>` (XML) or as a JSON array. */
export function countTenants(body: string): number | null {
  const text = body.trim();
  try {
    if (text.startsWith('[')) {
      const list: unknown = JSON.parse(text);
      return Array.isArray(list) ? list.length : null;
    }
    const root = rootElement(parseXml(text));
    const tag = root && tagOf(root);
    return root && tag && localName(tag) === 'tenants' ? childElements(root, 'tenant').length : null;
  } catch (e) {
    if (e instanceof SyntaxError || e instanceof XmlSyntaxError) return null;
    throw e;
  }
}
