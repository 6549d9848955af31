import { MASK, maskSecretsDeep, securedValues } from '@cam-esc/catalog';
import { NewAction } from '@cam-esc/persistence';

/** Values as a requester gave them, secured ones (by name, or by value inside a shared set) masked. */
export function maskedValues(action: Pick<NewAction, 'parameters' | 'securedNames'>, values: Record<string, unknown>): Record<string, unknown> {
  const shown = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, action.securedNames.includes(k) ? MASK : v]));
  return maskSecretsDeep(shown, securedValues(action.parameters, action.securedNames));
}
