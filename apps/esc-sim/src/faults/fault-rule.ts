export type FaultOperation = 'create' | 'update' | 'delete';

export const FAULT_OPERATIONS: readonly FaultOperation[] = ['create', 'update', 'delete'];

export interface FaultMatch {
  /** Matches when the deployment name contains this text (case-sensitive substring). */
  deploymentName?: string;
  /** Matches this internal deployment id exactly. */
  internalId?: string;
}

export interface FaultRuleInput {
  operation: FaultOperation;
  match: FaultMatch;
  /** Fail the synchronous answer instead of accepting the request. */
  respond?: { status: number; body?: string };
  /** Accept the request, but end it with a failed service callback. */
  callback?: { statusCode: number; message: string };
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
  internalId: string;
  deploymentName?: string;
}

export function ruleMatches(rule: FaultRule, operation: FaultOperation, target: FaultTarget): boolean {
  if (rule.operation !== operation) return false;
  if (rule.times !== undefined && rule.hits >= rule.times) return false;
  const { internalId, deploymentName } = rule.match;
  if (internalId !== undefined && internalId !== target.internalId) return false;
  if (deploymentName !== undefined && !(target.deploymentName ?? '').includes(deploymentName)) return false;
  return true;
}

export class FaultRuleError extends Error {}

/** Validates the JSON body of POST /_sim/faults. */
export function parseFaultRuleInput(body: unknown): FaultRuleInput {
  const input = object(body, 'body');
  const operation = input.operation;
  if (typeof operation !== 'string' || !(FAULT_OPERATIONS as readonly string[]).includes(operation)) {
    throw new FaultRuleError(`operation must be one of ${FAULT_OPERATIONS.join(', ')}`);
  }
  const match = input.match === undefined ? {} : object(input.match, 'match');
  const rule: FaultRuleInput = {
    operation: operation as FaultOperation,
    match: {
      ...optionalField('deploymentName', optionalString(match.deploymentName, 'match.deploymentName')),
      ...optionalField('internalId', optionalString(match.internalId, 'match.internalId')),
    },
  };

  if (input.respond !== undefined) {
    const respond = object(input.respond, 'respond');
    rule.respond = {
      status: statusCode(respond.status, 'respond.status', 400),
      ...optionalField('body', optionalString(respond.body, 'respond.body', true)),
    };
  }
  if (input.callback !== undefined) {
    const callback = object(input.callback, 'callback');
    const message = optionalString(callback.message, 'callback.message') ?? 'Simulated failure';
    if (/[\r\n]/.test(message)) throw new FaultRuleError('callback.message must be a single line (it is sent as a header)');
    rule.callback = { statusCode: statusCode(callback.statusCode, 'callback.statusCode', 300), message };
  }
  if (!rule.respond && !rule.callback) {
    throw new FaultRuleError('a fault needs respond and/or callback');
  }
  if (input.times !== undefined) {
    if (!Number.isInteger(input.times) || (input.times as number) < 1) {
      throw new FaultRuleError('times must be a positive integer');
    }
    rule.times = input.times as number;
  }
  return rule;
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
