/** What every resource kind has (update: deployments and tenants only). */
export type CrudOperation = 'create' | 'update' | 'delete';

export type FaultOperation = CrudOperation | DeploymentOnlyOperation;

/** "07-Deployment Operations" (any of stop, start...), "08-VM Operations" (vm, recovery-vm, snapshot-vm). */
type DeploymentOnlyOperation = 'service_operation' | 'vm_operation' | 'recovery' | 'snapshot';

const DEPLOYMENT_ONLY: readonly FaultOperation[] = ['service_operation', 'vm_operation', 'recovery', 'snapshot'];

/** Those about one VM, which match.vmName can pick. */
const VM_OPERATIONS: readonly FaultOperation[] = ['vm_operation', 'recovery', 'snapshot'];

export const FAULT_OPERATIONS: readonly FaultOperation[] = ['create', 'update', 'delete', ...DEPLOYMENT_ONLY];

/** What a rule targets; rules without `resource` are about deployments. */
export type FaultResource = 'deployment' | 'tenant' | 'network' | 'subnet' | 'image' | 'flavor' | 'volume';

export const FAULT_RESOURCES: readonly FaultResource[] = ['deployment', 'tenant', 'network', 'subnet', 'image', 'flavor', 'volume'];

/** Only deployments and tenants have a PUT. */
const UPDATABLE: readonly FaultResource[] = ['deployment', 'tenant'];

export interface FaultMatch {
  /** Matches when the resource's name contains this text (case-sensitive substring). */
  name?: string;
  /** Deployments only, kept from before `name`: the same as `name`. */
  deploymentName?: string;
  /** Matches this internal id exactly. */
  internalId?: string;
  /** VM operations only: matches when the VM's name contains this text. */
  vmName?: string;
}

export interface FaultRuleInput {
  resource: FaultResource;
  operation: FaultOperation;
  match: FaultMatch;
  /** Fail the synchronous answer instead of accepting the request. */
  respond?: { status: number; body?: string; headers?: Record<string, string> };
  /** Accept the request, but end it with a failed (final) callback. */
  callback?: { statusCode: number; message: string };
  /** Accept the request, but send none of its callbacks. */
  silent?: true;
  /** Accept (and apply) the request, but destroy the connection instead of answering. */
  loseAnswer?: true;
  /** Apply nothing and destroy the connection without an answer (ESC, or a proxy before it, dropped the request mid-way). */
  dropRequest?: true;
  /** Send the answer (accepted, `respond` or lost) this many milliseconds late. */
  delayMs?: number;
  /** How many requests the rule applies to; unlimited when absent. */
  times?: number;
}

export interface FaultRule extends FaultRuleInput {
  id: string;
  /** Requests this rule has been applied to so far. */
  hits: number;
}

/** What a request is about, for matching against rules. */
export interface FaultTarget {
  resource: FaultResource;
  internalId: string;
  /** The deployment name or the resource's <name>. */
  name?: string;
  /** The VM a VM operation is about. */
  vmName?: string;
}

export function ruleMatches(rule: FaultRule, operation: FaultOperation, target: FaultTarget): boolean {
  if (rule.resource !== target.resource || rule.operation !== operation) return false;
  if (rule.times !== undefined && rule.hits >= rule.times) return false;
  const { internalId, name, deploymentName, vmName } = rule.match;
  if (internalId !== undefined && internalId !== target.internalId) return false;
  if (vmName !== undefined && !(target.vmName ?? '').includes(vmName)) return false;
  return [name, deploymentName].every((part) => part === undefined || (target.name ?? '').includes(part));
}

export class FaultRuleError extends Error {}

/** Bounds of delayMs and of respond.headers. */
export const MAX_DELAY_MS = 60_000;
const MAX_HEADERS = 10;

/** Validates the JSON body of POST /_sim/faults. */
export function parseFaultRuleInput(body: unknown): FaultRuleInput {
  const input = object(body, 'body');
  const resource = input.resource ?? 'deployment';
  if (typeof resource !== 'string' || !(FAULT_RESOURCES as readonly string[]).includes(resource)) {
    throw new FaultRuleError(`resource must be one of ${FAULT_RESOURCES.join(', ')}`);
  }
  const operation = input.operation;
  if (typeof operation !== 'string' || !(FAULT_OPERATIONS as readonly string[]).includes(operation)) {
    throw new FaultRuleError(`operation must be one of ${FAULT_OPERATIONS.join(', ')}`);
  }
  if (operation === 'update' && !UPDATABLE.includes(resource as FaultResource)) {
    throw new FaultRuleError(`operation update does not apply to resource ${resource} (it has create and delete only)`);
  }
  if (DEPLOYMENT_ONLY.includes(operation as FaultOperation) && resource !== 'deployment') {
    throw new FaultRuleError(`operation ${operation} applies to deployments only`);
  }
  const match = input.match === undefined ? {} : object(input.match, 'match');
  if (match.deploymentName !== undefined && resource !== 'deployment') {
    throw new FaultRuleError(`match.deploymentName applies to deployments only; use match.name for a ${resource}`);
  }
  if (match.vmName !== undefined && !VM_OPERATIONS.includes(operation as FaultOperation)) {
    throw new FaultRuleError(`match.vmName applies to operations ${VM_OPERATIONS.join(', ')} only`);
  }
  const rule: FaultRuleInput = {
    resource: resource as FaultResource,
    operation: operation as FaultOperation,
    match: {
      ...optionalField('name', optionalString(match.name, 'match.name')),
      ...optionalField('deploymentName', optionalString(match.deploymentName, 'match.deploymentName')),
      ...optionalField('internalId', optionalString(match.internalId, 'match.internalId')),
      ...optionalField('vmName', optionalString(match.vmName, 'match.vmName')),
    },
  };

  if (input.respond !== undefined) {
    const respond = object(input.respond, 'respond');
    rule.respond = {
      status: statusCode(respond.status, 'respond.status', 400),
      ...optionalField('body', optionalString(respond.body, 'respond.body', true)),
      ...optionalField('headers', respond.headers === undefined ? undefined : headers(respond.headers, 'respond.headers')),
    };
  }
  if (input.callback !== undefined) {
    const callback = object(input.callback, 'callback');
    const message = optionalString(callback.message, 'callback.message') ?? 'Simulated failure';
    if (/[\r\n]/.test(message)) throw new FaultRuleError('callback.message must be a single line (it is sent as a header)');
    rule.callback = { statusCode: statusCode(callback.statusCode, 'callback.statusCode', 300), message };
  }
  if (input.silent !== undefined) {
    if (typeof input.silent !== 'boolean') throw new FaultRuleError('silent must be true or false');
    if (input.silent) rule.silent = true;
  }
  if (input.loseAnswer !== undefined) {
    if (typeof input.loseAnswer !== 'boolean') throw new FaultRuleError('loseAnswer must be true or false');
    if (input.loseAnswer && rule.respond) {
      throw new FaultRuleError('loseAnswer cannot be combined with respond (a respond rule applies nothing; POST /_sim/down refuses requests unanswered)');
    }
    if (input.loseAnswer) rule.loseAnswer = true;
  }
  if (input.dropRequest !== undefined) {
    if (typeof input.dropRequest !== 'boolean') throw new FaultRuleError('dropRequest must be true or false');
    if (input.dropRequest && (rule.respond || rule.callback || rule.silent || rule.loseAnswer)) {
      throw new FaultRuleError('dropRequest applies nothing and answers nothing: it cannot be combined with respond, callback, silent or loseAnswer');
    }
    if (input.dropRequest) rule.dropRequest = true;
  }
  if (input.delayMs !== undefined) {
    if (!Number.isInteger(input.delayMs) || (input.delayMs as number) < 0 || (input.delayMs as number) > MAX_DELAY_MS) {
      throw new FaultRuleError(`delayMs must be an integer between 0 and ${MAX_DELAY_MS}`);
    }
    rule.delayMs = input.delayMs as number;
  }
  if (!rule.respond && !rule.callback && !rule.silent && !rule.loseAnswer && !rule.dropRequest && rule.delayMs === undefined) {
    throw new FaultRuleError('a fault needs respond and/or callback (or silent: true, loseAnswer: true, dropRequest: true, delayMs)');
  }
  if (input.times !== undefined) {
    if (!Number.isInteger(input.times) || (input.times as number) < 1) {
      throw new FaultRuleError('times must be a positive integer');
    }
    rule.times = input.times as number;
  }
  return rule;
}

/** RFC 9110 field names: one or more "tchar". */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What Node accepts in a header value: tab, visible ASCII and obs-text, no CR/LF. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** They would break the answer's framing. */
const FRAMING_HEADERS = ['content-length', 'transfer-encoding'];

/** respond.headers: at most MAX_HEADERS names of token characters, each with a string value. */
function headers(value: unknown, name: string): Record<string, string> {
  const entries = Object.entries(object(value, name));
  if (entries.length > MAX_HEADERS) throw new FaultRuleError(`${name} may have at most ${MAX_HEADERS} headers`);
  const seen = new Set<string>();
  for (const [header, headerValue] of entries) {
    if (!HEADER_NAME.test(header)) throw new FaultRuleError(`${name}: '${header}' is not a valid header name (token characters only)`);
    const lower = header.toLowerCase();
    if (FRAMING_HEADERS.includes(lower)) throw new FaultRuleError(`${name}: ${header} cannot be set (the simulator frames the answer)`);
    if (seen.has(lower)) throw new FaultRuleError(`${name}: ${header} is given twice`);
    seen.add(lower);
    if (typeof headerValue !== 'string' || !HEADER_VALUE.test(headerValue)) {
      throw new FaultRuleError(`${name}.${header} must be a string of one line`);
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function object(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FaultRuleError(`${name} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function optionalString(value: unknown, name: string, allowEmpty = false): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || (!allowEmpty && value === '')) {
    throw new FaultRuleError(`${name} must be a non-empty string`);
  }
  return value;
}

function statusCode(value: unknown, name: string, min: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > 599) {
    throw new FaultRuleError(`${name} must be an integer between ${min} and 599`);
  }
  return value as number;
}

function optionalField<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
