import fc from 'fast-check';
import { Operation, Parameter, Schema } from './openapi';
import { typeOf, valueOf, wrongTypeFor } from './values';

export interface FuzzCase {
  /** positive: what the document allows; negative: one rule of it broken (the answer must be a 4xx); no-auth: without a token. */
  kind: 'positive' | 'negative' | 'no-auth';
  /** The rule a negative case breaks, in words. */
  breaks?: string;
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body?: { contentType: string; text: string };
}

export interface CaseContext {
  /** Ids that exist (made by whoever runs the fuzz), tried for path parameters beside generated ones. */
  knownIds: string[];
  /** The caller's tenant, sent as tenantId most of the time. */
  tenantId?: string;
}

interface Draft {
  pathValues: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body?: unknown;
  bodyType?: string;
}

/** A URL holds no lone surrogate: each becomes U+FFFD, as a browser would send it. */
function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function serialise(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => serialise(v));
  if (value === null || value === undefined) return [''];
  return [typeof value === 'object' ? JSON.stringify(value) : String(value)];
}

function parameterValue(p: Parameter, context: CaseContext): fc.Arbitrary<unknown> {
  const schema: Schema = p.in === 'path' && typeOf(p.schema) === 'string' ? { ...p.schema, minLength: Math.max(1, p.schema.minLength ?? 0) } : p.schema;
  const generated = p.example !== undefined ? fc.oneof(fc.constant(p.example), valueOf(schema)) : valueOf(schema);
  if (p.name === 'tenantId' && context.tenantId) return fc.oneof({ weight: 4, arbitrary: fc.constant(context.tenantId) }, { weight: 1, arbitrary: generated });
  if (p.in === 'path' && context.knownIds.length) return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...context.knownIds) }, { weight: 2, arbitrary: generated });
  return generated;
}

/** A request the document allows: every path parameter, the required query parameters and some optional ones, a body of the first media type it takes. */
function draftOf(operation: Operation, context: CaseContext): fc.Arbitrary<Draft> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  const headerParams = operation.parameters.filter((p) => p.in === 'header' && !/^(authorization|content-type|accept)$/i.test(p.name));
  const pathValues = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, parameterValue(p, context)])));
  const query = fc.record(Object.fromEntries(queryParams.map((p) => [p.name, parameterValue(p, context)])), { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) });
  const json = operation.requestBody?.content['application/json'];
  const bodyType = operation.requestBody ? (json !== undefined || 'application/json' in operation.requestBody.content ? 'application/json' : Object.keys(operation.requestBody.content)[0]) : undefined;
  const body = bodyType === 'application/json' ? valueOf(json ?? {}) : fc.constant(undefined);
  const headers = fc.record(Object.fromEntries(headerParams.map((p) => [p.name, parameterValue(p, context)])), { requiredKeys: headerParams.filter((p) => p.required).map((p) => p.name) });
  return fc.record({ pathValues, query, headers, body }).map((d) => ({ ...d, bodyType }));
}

function toCase(operation: Operation, draft: Draft, kind: FuzzCase['kind'], breaks?: string): FuzzCase {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(wellFormed(serialise(draft.pathValues[name])[0]) || 'x'));
  const query: Array<[string, string]> = Object.entries(draft.query).flatMap(([name, value]) => serialise(value).map((v) => [name, v] as [string, string]));
  let body: FuzzCase['body'];
  if (draft.bodyType === 'application/json' && draft.body !== undefined) body = { contentType: 'application/json', text: typeof draft.body === 'string' && breaks?.startsWith('body is not') ? draft.body : JSON.stringify(draft.body) };
  else if (draft.bodyType) body = { contentType: draft.bodyType, text: typeof draft.body === 'string' ? draft.body : '' };
  // a header value is visible ASCII and spaces (HTTP forbids the rest); a generated one is made so
  const headers = Object.fromEntries(Object.entries(draft.headers).map(([name, value]) => [name, serialise(value)[0].replace(/[^\x20-\x7e]/g, '?').trim()]));
  return { kind, breaks, path, query, headers, body };
}

/** One rule of the document broken: a required field left out, a value of another type, a value outside its enum or range, a body that is not JSON. */
function negativeOf(operation: Operation, draft: Draft): fc.Arbitrary<{ draft: Draft; breaks: string }> | undefined {
  const options: Array<fc.Arbitrary<{ draft: Draft; breaks: string }>> = [];
  const json = operation.requestBody?.content['application/json'];
  if (draft.bodyType === 'application/json') {
    options.push(fc.constant({ draft: { ...draft, body: '{"unterminated": ' }, breaks: 'body is not JSON' }));
    options.push(fc.constant({ draft: { ...draft, bodyType: 'text/plain', body: 'plain words' }, breaks: 'body is text/plain, not JSON' }));
    if (json && typeOf(json) === 'object') {
      options.push(fc.constant({ draft: { ...draft, body: ['not', 'an', 'object'] }, breaks: 'body is an array, not an object' }));
      const body = (draft.body && typeof draft.body === 'object' && !Array.isArray(draft.body) ? draft.body : {}) as Record<string, unknown>;
      for (const name of json.required ?? []) {
        const { [name]: _left, ...rest } = body;
        options.push(fc.constant({ draft: { ...draft, body: rest }, breaks: `body.${name} (required) is missing` }));
      }
      for (const [name, schema] of Object.entries(json.properties ?? {})) {
        const wrong = wrongTypeFor(schema);
        const broken = (value: unknown, breaks: string) => options.push(fc.constant({ draft: { ...draft, body: { ...body, [name]: value } }, breaks: `body.${name} ${breaks}` }));
        if (wrong !== undefined) broken(wrong, `is not of type ${typeOf(schema)}`);
        if (schema.enum?.length && typeOf(schema) === 'string') broken('not-one-of-the-enum', `is not one of ${schema.enum.join(', ')}`);
        if (typeof schema.maximum === 'number') broken(schema.maximum + 1, `is above its maximum ${schema.maximum}`);
        if (typeof schema.minimum === 'number') broken(schema.minimum - 1, `is below its minimum ${schema.minimum}`);
      }
    }
  }
  for (const p of operation.parameters.filter((q) => q.in === 'query')) {
    const s = p.schema;
    const items = typeOf(s) === 'array' ? (s.items ?? {}) : s;
    if (items.enum?.length) options.push(fc.constant({ draft: { ...draft, query: { ...draft.query, [p.name]: 'not-one-of-the-enum' } }, breaks: `${p.name} is not one of ${items.enum.join(', ')}` }));
    const broken = (value: unknown, breaks: string) => options.push(fc.constant({ draft: { ...draft, query: { ...draft.query, [p.name]: value } }, breaks: `${p.name} ${breaks}` }));
    if (typeOf(items) === 'integer') {
      broken('not-a-number', 'is not an integer');
      if (typeof items.minimum === 'number') broken(items.minimum - 1, `is below its minimum ${items.minimum}`);
      if (typeof items.maximum === 'number') broken(items.maximum + 1, `is above its maximum ${items.maximum}`);
    }
    if (typeOf(items) === 'boolean') broken('maybe', 'is not true or false');
    if (typeOf(items) === 'string' && typeof items.maxLength === 'number') broken('x'.repeat(items.maxLength + 1), `is longer than ${items.maxLength}`);
    if (p.required) {
      const { [p.name]: _left, ...rest } = draft.query;
      options.push(fc.constant({ draft: { ...draft, query: rest }, breaks: `${p.name} (required) is missing` }));
    }
  }
  for (const p of operation.parameters.filter((h) => h.in === 'header')) {
    if (p.schema.pattern && !new RegExp(p.schema.pattern).test('has a space')) options.push(fc.constant({ draft: { ...draft, headers: { ...draft.headers, [p.name]: 'has a space' } }, breaks: `header ${p.name} does not match ${p.schema.pattern}` }));
    if (typeof p.schema.maxLength === 'number') options.push(fc.constant({ draft: { ...draft, headers: { ...draft.headers, [p.name]: 'x'.repeat(p.schema.maxLength + 1) } }, breaks: `header ${p.name} is longer than ${p.schema.maxLength}` }));
  }
  return options.length ? fc.oneof(...options) : undefined;
}

/** The cases of one operation, reproducible from the seed. */
export function casesOf(operation: Operation, context: CaseContext, count: number, seed: number): FuzzCase[] {
  const drafts = fc.sample(draftOf(operation, context), { numRuns: count, seed });
  const cases: FuzzCase[] = [];
  drafts.forEach((draft, i) => {
    const negative = i % 3 === 2 ? negativeOf(operation, draft) : undefined;
    if (negative) {
      const [broken] = fc.sample(negative, { numRuns: 1, seed: seed + i });
      cases.push(toCase(operation, broken.draft, 'negative', broken.breaks));
    } else cases.push(toCase(operation, draft, 'positive'));
  });
  if (operation.secured && drafts.length) cases.push(toCase(operation, drafts[0], 'no-auth'));
  return cases;
}
