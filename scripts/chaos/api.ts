/**
 * The few HTTP calls the chaos run makes: the CAM API of the gateways (bearer token), esc-sim's
 * admin API (/_sim, no auth) and its ESC API (Basic auth). Answers are read as JSON when they are.
 */
import { TOKEN } from './stack';

export const CAM = '/cam/composer/api/v1';

export interface Answer<T = any> {
  status: number;
  json: T;
  text: string;
  headers: Headers;
}

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function call<T = any>(url: string, init: { method?: string; body?: unknown; auth?: string; timeoutMs?: number } = {}): Promise<Answer<T>> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.auth ? { Authorization: init.auth } : {}),
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      Accept: 'application/json, application/xml;q=0.9, */*;q=0.1',
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** A call that must answer 2xx; anything else is an error naming the answer. */
export async function ok<T = any>(url: string, init: Parameters<typeof call>[1] = {}): Promise<Answer<T>> {
  const answer = await call<T>(url, init);
  if (answer.status < 200 || answer.status >= 300) throw new HttpError(answer.status, `${init.method ?? 'GET'} ${url}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`);
  return answer;
}

/** The CAM API of one gateway. */
export class Cam {
  constructor(readonly base: string) {}

  get<T = any>(path: string): Promise<Answer<T>> {
    return call<T>(`${this.base}${path}`, { auth: `Bearer ${TOKEN}` });
  }

  post<T = any>(path: string, body: unknown): Promise<Answer<T>> {
    return call<T>(`${this.base}${path}`, { method: 'POST', body, auth: `Bearer ${TOKEN}` });
  }
}

/**
 * A call repeated while the gateway cannot answer it (its connection, a 5xx, a 409 of an action
 * still being committed): the chaos is on ESC's side, the portal's calls are expected to go through.
 */
export async function persist<T>(what: string, fn: () => Promise<Answer<T>>, onError: (line: string) => void, attempts = 8): Promise<Answer<T>> {
  let last = '';
  for (let i = 1; i <= attempts; i++) {
    try {
      const answer = await fn();
      if (answer.status < 300) return answer;
      last = `HTTP ${answer.status} ${answer.text.slice(0, 300)}`;
      if (answer.status < 500 && answer.status !== 409 && answer.status !== 429) break;
    } catch (e) {
      last = (e as Error).message;
    }
    onError(`${what}: ${last} (attempt ${i})`);
    await new Promise((r) => setTimeout(r, 250 * i));
  }
  throw new Error(`${what}: ${last}`);
}
