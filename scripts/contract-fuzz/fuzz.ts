import { request } from 'undici';
import { casesOf, FuzzCase } from './cases';
import { Answer, check, CheckName, SchemaValidators } from './checks';
import { operationsOf } from './openapi';

export interface FuzzOptions {
  /** The gateway, e.g. http://127.0.0.1:3000; its document is read from /docs-json. */
  baseUrl: string;
  token: string;
  tenantId?: string;
  /** Cases per operation (a no-auth case comes on top). */
  cases: number;
  seed: number;
  /** Ids that exist, tried for path parameters. */
  knownIds?: string[];
  /** Only the operations whose `METHOD /path` matches. */
  only?: RegExp;
  timeoutMs?: number;
  onProgress?: (operation: string, done: number, total: number) => void;
}

export interface Finding {
  operation: string;
  check: CheckName;
  message: string;
  /** How many cases found it (one example is kept). */
  times: number;
  example: { kind: FuzzCase['kind']; request: string; response: string };
}

export interface FuzzReport {
  operations: number;
  requests: number;
  /** Answers that were a 429: cases the gateway's rate limits kept from being tried (raise RATE_LIMIT_* on a fuzzed gateway). */
  rateLimited: number;
  /** Statuses answered, by operation. */
  statuses: Record<string, Record<string, number>>;
  findings: Finding[];
}

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'];

async function send(baseUrl: string, sent: FuzzCase, method: string, token: string, timeoutMs: number): Promise<Answer> {
  const url = new URL(sent.path, baseUrl);
  for (const [name, value] of sent.query) url.searchParams.append(name, value);
  const headers: Record<string, string> = { ...sent.headers, accept: 'application/json' };
  if (sent.kind !== 'no-auth') headers.authorization = `Bearer ${token}`;
  if (sent.body) headers['content-type'] = sent.body.contentType;
  const res = await request(url, { method, headers, body: sent.body?.text, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const contentType = String(res.headers['content-type'] ?? '');
  if (contentType.startsWith('text/event-stream')) {
    // a stream stays open: its status and headers are the answer
    res.body.on('error', () => undefined);
    res.body.destroy();
    return { status: res.statusCode, headers: res.headers };
  }
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

function templateMatches(template: string, path: string): boolean {
  const pattern = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${pattern}$`, 'i').test(path);
}

function describe(sent: FuzzCase, method: string): string {
  const query = sent.query.map(([k, v]) => `${k}=${v}`).join('&');
  const body = sent.body ? ` (${sent.body.contentType}) ${sent.body.text.slice(0, 300)}` : '';
  return `${method} ${sent.path}${query ? `?${query.slice(0, 300)}` : ''}${body}`;
}

/** Sends each operation of the served document its cases, and reports every answer the document does not describe. */
export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const document = await (await request(new URL('/docs-json', options.baseUrl))).body.json();
  const operations = operationsOf(document as Parameters<typeof operationsOf>[0]).filter((op) => !options.only || options.only.test(op.id));
  const validators = new SchemaValidators();
  const findings = new Map<string, Finding>();
  const report: FuzzReport = { operations: operations.length, requests: 0, rateLimited: 0, statuses: {}, findings: [] };
  const record = (operation: string, check: CheckName, message: string, sent: FuzzCase, method: string, answer: Answer) => {
    const key = `${operation}\u0000${check}\u0000${answer.status}`;
    const known = findings.get(key);
    if (known) known.times += 1;
    else findings.set(key, { operation, check, message, times: 1, example: { kind: sent.kind, request: describe(sent, method), response: `${answer.status} ${(answer.text ?? '').slice(0, 500)}` } });
  };
  const ask = async (sent: FuzzCase, method: string): Promise<Answer> => {
    report.requests += 1;
    try {
      return await send(options.baseUrl, sent, method, options.token, options.timeoutMs ?? 10_000);
    } catch (err) {
      return { status: 599, headers: {}, text: `no answer: ${(err as Error).message}` };
    }
  };
  /** A path as called, by its template: where a method it does not take is tried. */
  const called = new Map<string, FuzzCase>();
  let done = 0;
  for (const [index, operation] of operations.entries()) {
    const cases = casesOf(operation, { knownIds: options.knownIds ?? [], tenantId: options.tenantId }, options.cases, options.seed + index * 7919);
    const statuses: Record<string, number> = (report.statuses[operation.id] = {});
    for (const sent of cases) {
      const answer = await ask(sent, operation.method);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (answer.status === 429) report.rateLimited += 1;
      for (const violation of check(operation, sent, answer, validators)) record(operation.id, violation.check, violation.message, sent, operation.method, answer);
      if (sent.kind === 'positive' && !called.has(operation.path)) called.set(operation.path, sent);
    }
    options.onProgress?.(operation.id, ++done, operations.length);
  }
  // a method the path does not take: 405, with the methods it does take in Allow
  for (const [path, sent] of called) {
    // the methods of every template this path matches (GET …/ActionInstances/invokeAction is GET …/ActionInstances/{id})
    const taken = operations.filter((op) => op.path === path || templateMatches(op.path, path)).map((op) => op.method);
    const method = METHODS.find((m) => !taken.includes(m))!;
    const answer = await ask({ ...sent, body: undefined }, method);
    const operation = `${method} ${path}`;
    if (answer.status !== 405) record(operation, 'unsupported_method', `answered ${answer.status} to a method the path does not take (expected 405)`, sent, method, answer);
    else if (!answer.headers.allow) record(operation, 'unsupported_method', 'answered 405 without Allow', sent, method, answer);
  }
  report.findings = [...findings.values()];
  return report;
}
