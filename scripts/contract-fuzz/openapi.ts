/** The served OpenAPI 3.0 document, read as the operations a fuzzer can call. */

export type Schema = Record<string, unknown> & {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  nullable?: boolean;
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  example?: unknown;
  default?: unknown;
};

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
  example?: unknown;
}

export interface DocumentedResponse {
  /** Media type → body schema (empty: the answer has no body). */
  content: Record<string, Schema | undefined>;
  /** Header names (lower case) the answer documents as always present. */
  requiredHeaders: string[];
}

export interface Operation {
  method: string;
  path: string;
  id: string;
  parameters: Parameter[];
  /** Media type → schema of the request body, when it takes one. */
  requestBody?: { required: boolean; content: Record<string, Schema | undefined> };
  /** Status ('200', '4XX', 'default') → what the answer is. */
  responses: Record<string, DocumentedResponse>;
  /** It needs a bearer token. */
  secured: boolean;
}

interface RawDocument {
  paths: Record<string, Record<string, RawOperation | unknown>>;
  components?: { schemas?: Record<string, Schema> };
  security?: unknown[];
}

interface RawOperation {
  operationId?: string;
  parameters?: Array<{ name: string; in: Parameter['in']; required?: boolean; schema?: Schema; example?: unknown; $ref?: string }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }>; headers?: Record<string, { required?: boolean }> }>;
  security?: unknown[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Every operation of the document, with its $refs resolved. */
export function operationsOf(document: RawDocument): Operation[] {
  const resolve = resolver(document);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const raw = item[method] as RawOperation | undefined;
      if (!raw) continue;
      const security = raw.security ?? document.security ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        id: `${method.toUpperCase()} ${path}`,
        parameters: (raw.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: p.required === true || p.in === 'path', schema: resolve(p.schema ?? { type: 'string' }), example: p.example })),
        requestBody: raw.requestBody
          ? { required: raw.requestBody.required === true, content: mapValues(raw.requestBody.content ?? {}, (c) => (c.schema ? resolve(c.schema) : undefined)) }
          : undefined,
        responses: mapValues(raw.responses ?? {}, (r) => ({
          content: mapValues(r.content ?? {}, (c) => (c.schema ? resolve(c.schema) : undefined)),
          requiredHeaders: Object.entries(r.headers ?? {})
            .filter(([, h]) => h.required === true)
            .map(([name]) => name.toLowerCase()),
        })),
        secured: security.length > 0,
      });
    }
  }
  return operations;
}

/** Resolves `#/components/schemas/...` references, deeply (a reference met again inside itself is left open). */
function resolver(document: RawDocument): (schema: Schema) => Schema {
  const schemas = document.components?.schemas ?? {};
  const walk = (node: unknown, seen: string[]): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, seen));
    if (!node || typeof node !== 'object') return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') {
      const name = ref.replace('#/components/schemas/', '');
      if (seen.includes(name) || !schemas[name]) return {};
      return walk(schemas[name], [...seen, name]);
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'example' || k === 'examples' ? v : walk(v, seen)]));
  };
  return (schema) => walk(schema, []) as Schema;
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}

/** The documented answer for a status: exact, then its class (`4XX`), then `default`. */
export function documentedResponse(operation: Operation, status: number): DocumentedResponse | undefined {
  return operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`] ?? operation.responses.default;
}
