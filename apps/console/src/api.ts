import { EventSourceMessage, createParser } from 'eventsource-parser';

const TOKEN_KEY = 'cam-esc-console-token';

/** An answer of the gateway that is not a success: its status and CAM's error message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Called when the gateway says the token is no longer good (401): the console goes back to its login. */
let onUnauthorised: () => void = () => undefined;
export function whenUnauthorised(fn: () => void): void {
  onUnauthorised = fn;
}

export interface Answer<T> {
  body: T;
  headers: Headers;
}

/** A call of the gateway's API with the session's token; a non-2xx answer throws an ApiError with CAM's message. */
export async function call<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await res.text();
  const body = text ? safeJson(text) : undefined;
  if (!res.ok) {
    if (res.status === 401) onUnauthorised();
    const message = (body as { error?: { message?: string } } | undefined)?.error?.message ?? `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, message);
  }
  return { body: body as T, headers: res.headers };
}

export async function get<T>(path: string): Promise<T> {
  return (await call<T>(path)).body;
}

export async function post<T>(path: string, body: unknown = {}): Promise<T> {
  return (await call<T>(path, { method: 'POST', body })).body;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A GET of a binary answer (an icon) with the session's token; undefined when it is not there. */
export async function getBlob(path: string): Promise<Blob | undefined> {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token() ?? ''}` } });
  if (res.status === 401) onUnauthorised();
  return res.ok ? res.blob() : undefined;
}

/**
 * Follows a server-sent event stream of the API. EventSource cannot send a bearer token, so the
 * stream is read with fetch and parsed with eventsource-parser. `onEnd` gets the HTTP status the
 * stream was answered with (0: it could not be reached). Returns a function that stops it.
 */
export function follow(path: string, onEvent: (event: EventSourceMessage) => void, onEnd?: (status: number) => void): () => void {
  const controller = new AbortController();
  let status = 0;
  (async () => {
    const res = await fetch(path, { headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token() ?? ''}` }, signal: controller.signal });
    status = res.status;
    if (!res.ok || !res.body) return;
    const parser = createParser({ onEvent });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(value);
    }
  })()
    .catch(() => undefined)
    .finally(() => onEnd?.(status));
  return () => controller.abort();
}

/** A CAM call's query: the tenant (CAM clients always send one) and the other parameters. */
export function withTenant(path: string, tenantId: string, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams({ tenantId });
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  return `${path}${path.includes('?') ? '&' : '?'}${q}`;
}
