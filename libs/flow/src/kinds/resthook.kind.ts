import { DomainException } from '@cam-esc/errors';
import { interpolate, interpolateDeep, InterpolationContext } from '@cam-esc/catalog';
import { DirectOutcome, HttpMethod, StepRequest } from './step-kind';

/** A `resthook` of a CAM flow, as the seed writes it, with the gateway's optional `timeout` and `ignore_errors`. */
export interface ResthookDefinition {
  id: string;
  title?: string;
  url?: unknown;
  method?: unknown;
  headers?: unknown;
  payload?: unknown;
  /** Seconds before the call is abandoned (default 30, at most 300). */
  timeout?: unknown;
  /** A non-2xx answer is recorded but does not fail the flow. */
  ignore_errors?: unknown;
  [key: string]: unknown;
}

export interface HttpAnswer {
  status: number;
  body: string;
  contentType?: string;
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const RESTHOOK_DEFAULT_TIMEOUT_S = 30;
const MAX_BODY_OUTPUT = 4096;

/** Problems of a resthook's definition that do not depend on a deploy's values (createService warns, deploy refuses). */
export function resthookProblems(def: ResthookDefinition): string[] {
  const problems: string[] = [];
  if (typeof def.url !== 'string' || !def.url.trim()) problems.push('url is required (an http or https URL)');
  const method = typeof def.method === 'string' ? def.method.toUpperCase() : def.method === undefined ? 'GET' : def.method;
  if (!METHODS.includes(method as HttpMethod)) problems.push(`method '${String(def.method)}' is not one of ${METHODS.join(', ')}`);
  if (def.headers !== undefined && (typeof def.headers !== 'object' || def.headers === null || Array.isArray(def.headers) || Object.values(def.headers).some((v) => typeof v !== 'string'))) {
    problems.push('headers must be an object of strings');
  }
  if (def.timeout !== undefined && !(typeof def.timeout === 'number' && def.timeout >= 1 && def.timeout <= 300)) problems.push('timeout must be a number of seconds between 1 and 300');
  if (def.ignore_errors !== undefined && typeof def.ignore_errors !== 'boolean') problems.push('ignore_errors must be true or false');
  return problems;
}

export function resthookTimeoutMs(def: ResthookDefinition): number {
  return (typeof def.timeout === 'number' ? def.timeout : RESTHOOK_DEFAULT_TIMEOUT_S) * 1000;
}

/**
 * Resthook steps: an HTTP call the worker makes itself, ended by its answer. Everything in it may
 * use references; a payload object is sent as JSON. Its outputs are the status and the answer's
 * top-level fields (`${templates.<id>.status_code}`, `${templates.<id>.id}`, ...).
 */
export const resthookKind = {
  transport: 'http' as const,
  kind: 'resthook',
  outputNames: ['status', 'status_code', 'body'],

  render(def: ResthookDefinition, ctx: InterpolationContext): StepRequest {
    const where = `resthook '${def.id}'`;
    const problems = resthookProblems(def);
    if (problems.length) throw DomainException.invalid(`${where}: ${problems.join('; ')}`);
    const url = interpolate(String(def.url).trim(), ctx, `${where}.url`);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((def.headers as Record<string, string> | undefined) ?? {})) headers[k] = interpolate(v, ctx, `${where}.headers.${k}`);
    const method = (typeof def.method === 'string' ? def.method.toUpperCase() : 'GET') as HttpMethod;
    const body = this.body(def, method, ctx, headers, where);
    // before the steps ran (deploy checks, dry run) a URL made of earlier steps' outputs cannot be checked yet
    if (url.includes('${templates.')) return { method, path: url, headers, ...(body !== undefined && { body }) };
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      // the resolved URL is not quoted: it may hold a secured value
      throw DomainException.invalid(`${where}.url: does not resolve to an absolute http(s) URL (check it and the parameters it uses)`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw DomainException.invalid(`${where}.url: only http and https URLs are called (got ${parsed.protocol})`);
    return { method, path: parsed.toString(), headers, ...(body !== undefined && { body }) };
  },

  /** The payload: an object is sent as JSON (and says so, unless the headers already name a type). */
  body(def: ResthookDefinition, method: HttpMethod, ctx: InterpolationContext, headers: Record<string, string>, where: string): string | undefined {
    if (def.payload === undefined || def.payload === null || method === 'GET') return undefined;
    const payload = interpolateDeep(def.payload, ctx, `${where}.payload`);
    if (typeof payload === 'string') return payload;
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    return JSON.stringify(payload);
  },

  judge(def: ResthookDefinition, answer: HttpAnswer): DirectOutcome {
    const ok = answer.status >= 200 && answer.status < 300;
    const outputs: Record<string, string> = { status: ok ? 'SUCCESS' : 'FAILED', status_code: String(answer.status), body: answer.body.slice(0, MAX_BODY_OUTPUT) };
    try {
      const json: unknown = JSON.parse(answer.body);
      if (json && typeof json === 'object' && !Array.isArray(json)) {
        for (const [k, v] of Object.entries(json)) if (['string', 'number', 'boolean'].includes(typeof v) && !Object.hasOwn(outputs, k)) outputs[k] = String(v);
      }
    } catch {
      // not JSON: the body output has it
    }
    const tolerated = !ok && def.ignore_errors === true;
    const said = answer.status === 0 ? `resthook call to ${def.id} got no answer: ${answer.body}` : `resthook answered HTTP ${answer.status}${ok ? '' : `: ${answer.body.trim().slice(0, 500) || '(empty body)'}`}`;
    const summary = `${said}${tolerated ? ' (ignore_errors: the flow goes on)' : ''}`;
    return { succeeded: ok || tolerated, outputs, summary };
  },
};

export type HttpStepKind = typeof resthookKind;
