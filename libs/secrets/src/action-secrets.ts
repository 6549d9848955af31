import { MASK, maskSecrets, maskSecretsDeep, securedValues } from '@cam-esc/catalog';
import { SecretBox } from './secret-box';

/** The parts of an action's parameters that hold its values (and so its secured ones). */
const VALUE_PARTS = ['input_parameters', 'plan_parameters', 'given'] as const;

/** An action's parameters as they are stored: secured values masked, the parts that held them sealed beside. */
export interface SealedParameters<T> {
  parameters: T;
  secretsSealed: string | null;
}

/**
 * Takes an action's secured values out of its parameters: `parameters` keeps them masked (what
 * every reader may see), `secretsSealed` seals the parts that held them (opened by
 * openActionParameters, to render and send to ESC).
 */
export function sealActionParameters<T>(box: SecretBox, parameters: T, securedNames: readonly string[]): SealedParameters<T> {
  const secrets = securedValues(parameters, securedNames);
  if (!secrets.length) return { parameters, secretsSealed: null };
  const all = parameters as Record<string, unknown>;
  const parts = Object.fromEntries(VALUE_PARTS.filter((k) => all[k] !== undefined).map((k) => [k, all[k]]));
  const masked = { ...all, ...maskSecretsDeep(parts, secrets) } as Record<string, unknown>;
  // a secured value that is not text (a number, say) is masked where it is named
  for (const part of VALUE_PARTS) for (const name of securedNames) maskAt(masked[part], name.split('.'));
  return { parameters: masked as T, secretsSealed: box.seal(JSON.stringify(parts)) };
}

/** An action's parameters with their secured values (as sealActionParameters took them out). */
export function openActionParameters<T>(box: SecretBox, action: { parameters: T; secretsSealed?: string | null }): T {
  if (!action.secretsSealed) return action.parameters;
  return { ...(action.parameters as object), ...(JSON.parse(box.open(action.secretsSealed)) as object) } as T;
}

/** A text to store (an ESC request's body, say): masked, and sealed whole when it held a secret. */
export function sealText(box: SecretBox, text: string, secrets: readonly string[]): { text: string; sealed: string | null } {
  const masked = maskSecrets(text, secrets);
  return masked === text ? { text, sealed: null } : { text: masked, sealed: box.seal(text) };
}

function maskAt(bag: unknown, path: string[]): void {
  if (!bag || typeof bag !== 'object') return;
  const [head, ...rest] = path;
  const holder = bag as Record<string, unknown>;
  if (!(head in holder)) return;
  if (rest.length) maskAt(holder[head], rest);
  else if (holder[head] !== null && typeof holder[head] !== 'object') holder[head] = MASK;
  else if (holder[head] !== null) maskLeaves(holder[head] as Record<string, unknown>);
}

function maskLeaves(value: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && typeof v === 'object') maskLeaves(v as Record<string, unknown>);
    else if (v !== null) value[k] = MASK;
  }
}

/** A stored request (an ESC request's body and headers, masked, and sealed whole beside) as it is sent. */
export function openRequest<H>(box: SecretBox, row: { path: string; pathSealed?: string | null; body: string | null; bodySealed?: string | null; headers?: H | null; headersSealed?: string | null }): { path: string; body: string | null; headers: H | null } {
  return {
    path: row.pathSealed ? box.open(row.pathSealed) : row.path,
    body: row.bodySealed ? box.open(row.bodySealed) : row.body,
    headers: row.headersSealed ? (JSON.parse(box.open(row.headersSealed)) as H) : (row.headers ?? null),
  };
}

/** Headers to store: masked, and sealed whole (JSON) when they held a secret. */
export function sealHeaders<H extends Record<string, unknown>>(box: SecretBox, headers: H, secrets: readonly string[]): { headers: H; sealed: string | null } {
  const masked = maskSecretsDeep(headers, secrets);
  const whole = JSON.stringify(headers);
  return JSON.stringify(masked) === whole ? { headers, sealed: null } : { headers: masked, sealed: box.seal(whole) };
}
