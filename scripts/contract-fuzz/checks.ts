import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { FuzzCase } from './cases';
import { documentedResponse, Operation, Schema } from './openapi';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text; undefined for a stream (text/event-stream), which is not read. */
  text?: string;
}

export type CheckName = 'not_a_server_error' | 'status_code_conformance' | 'content_type_conformance' | 'response_headers_conformance' | 'response_schema_conformance' | 'negative_data_rejection' | 'ignored_auth' | 'unsupported_method';

export interface Violation {
  check: CheckName;
  message: string;
}

/** Compiles the documented body schemas once each (OpenAPI 3.0: nullable, example and the binary format are known to it). */
export class SchemaValidators {
  private readonly ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
  private readonly compiled = new WeakMap<Schema, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
  }

  validate(schema: Schema, value: unknown): string | undefined {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    if (validate(value)) return undefined;
    return this.ajv.errorsText(validate.errors, { dataVar: 'body' });
  }
}

function mediaTypeOf(headers: Answer['headers']): string | undefined {
  const value = headers['content-type'];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.split(';')[0].trim().toLowerCase();
}

function matches(documented: string, actual: string): boolean {
  if (documented === actual || documented === '*/*') return true;
  const [type, subtype] = documented.split('/');
  return subtype === '*' && actual.startsWith(`${type}/`);
}

/** What a contract fuzzer checks of one answer: no 5xx, a documented status, the documented media type, headers and body schema; a broken rule refused with a 4xx; no answer without a token. */
export function check(operation: Operation, sent: FuzzCase, answer: Answer, validators: SchemaValidators): Violation[] {
  const found: Violation[] = [];
  if (answer.status >= 500) found.push({ check: 'not_a_server_error', message: `answered ${answer.status}` });
  if (sent.kind === 'no-auth' && answer.status !== 401) found.push({ check: 'ignored_auth', message: `answered ${answer.status} without a token (expected 401)` });
  if (sent.kind === 'negative' && answer.status < 400) found.push({ check: 'negative_data_rejection', message: `answered ${answer.status} though ${sent.breaks}` });
  const documented = documentedResponse(operation, answer.status);
  if (!documented) {
    found.push({ check: 'status_code_conformance', message: `answered ${answer.status}, which is not documented (documented: ${Object.keys(operation.responses).join(', ')})` });
    return found;
  }
  for (const header of documented.requiredHeaders) {
    if (answer.headers[header] === undefined) found.push({ check: 'response_headers_conformance', message: `answered ${answer.status} without the required header ${header}` });
  }
  const mediaTypes = Object.keys(documented.content);
  if (!mediaTypes.length) {
    if (answer.text) found.push({ check: 'content_type_conformance', message: `answered ${answer.status} with a body, documented without one` });
    return found;
  }
  const actual = mediaTypeOf(answer.headers);
  const mediaType = actual ? mediaTypes.find((m) => matches(m, actual)) : undefined;
  if (!mediaType) {
    found.push({ check: 'content_type_conformance', message: `answered ${answer.status} as ${actual ?? 'no content type'}, documented as ${mediaTypes.join(' or ')}` });
    return found;
  }
  const schema = documented.content[mediaType];
  if (schema && answer.text !== undefined && /json/.test(mediaType)) {
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      found.push({ check: 'response_schema_conformance', message: `answered ${answer.status} with a body that is not JSON` });
      return found;
    }
    const problem = validators.validate(schema, body);
    if (problem) found.push({ check: 'response_schema_conformance', message: `answered ${answer.status} with a body its schema does not allow: ${problem}` });
  }
  return found;
}
