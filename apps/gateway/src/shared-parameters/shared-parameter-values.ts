import { ResolvedSharedParameter, SharedValue } from '@cam-esc/connections';
import { DomainException } from '@cam-esc/errors';

/** How a secured value is shown (CAM's mask); sent back on PUT, it keeps the stored value. */
export const SECURED_MASK = '*******';
export const SHARED_PARAMETER_NAME = /^[A-Za-z0-9._-]{1,128}$/;
export const DATATYPE = /^[A-Za-z0-9._-]{1,64}$/;
const KEY = /^[A-Za-z0-9._-]{1,128}$/;
const MAX_KEYS = 256;
const MAX_VALUE_LENGTH = 65_536;

/**
 * The values and secured keys to store, checked: each key 1..128 of A-Z a-z 0-9 . _ -, each
 * value a string, finite number or boolean, each secured key one of the values. A secured value
 * given as the mask stands for the one stored before (`previous`), which must exist.
 */
export function settledValues(values: Record<string, unknown>, securedKeys: string[], previous?: ResolvedSharedParameter): { values: Record<string, SharedValue>; securedKeys: string[] } {
  const entries = Object.entries(values);
  if (entries.length > MAX_KEYS) throw invalid('values', `must have at most ${MAX_KEYS} keys (got ${entries.length})`);
  const settled = new Map<string, SharedValue>(); // a Map: a key such as __proto__ stays a key
  for (const [key, value] of entries) {
    if (!KEY.test(key)) throw invalid('values', `key '${key.slice(0, 140)}' must be 1..128 characters of A-Z a-z 0-9 . _ -`);
    if (typeof value === 'string' && value.length > MAX_VALUE_LENGTH) throw invalid(`values.${key}`, `must be at most ${MAX_VALUE_LENGTH} characters`);
    if (typeof value === 'number' && !Number.isFinite(value)) throw invalid(`values.${key}`, 'must be a finite number');
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw invalid(`values.${key}`, 'must be a string, a number or a boolean');
    settled.set(key, value);
  }
  const secured = [...new Set(securedKeys)];
  for (const key of secured) {
    if (!settled.has(key)) throw invalid('secured_keys', `'${key.slice(0, 140)}' is not a key of values`);
    if (settled.get(key) !== SECURED_MASK) continue;
    if (!previous?.securedKeys.includes(key)) throw invalid(`values.${key}`, `'${SECURED_MASK}' stands for a stored secret, and there is none: give the value`);
    settled.set(key, previous.values[key]);
  }
  return { values: Object.fromEntries(settled), securedKeys: secured };
}

function invalid(field: string, rule: string): DomainException {
  return DomainException.invalid(`${field}: ${rule}`, { field });
}
