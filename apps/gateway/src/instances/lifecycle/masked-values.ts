import { MASK, maskSecretsDeep, securedValues } from '@cam-esc/catalog';
import { NewAction } from '@cam-esc/persistence';
import { openActionParameters, SecretBox } from '@cam-esc/secrets';

/** Values as a requester gave them, secured ones (by name, or by value inside a shared set) masked. */
export function maskedValues(box: SecretBox, action: Pick<NewAction, 'parameters' | 'securedNames' | 'secretsSealed'>, values: Record<string, unknown>): Record<string, unknown> {
  const shown = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, action.securedNames.includes(k) ? MASK : v]));
  // the action's parameters hold its secrets masked: the values themselves are read from its sealed copy
  return maskSecretsDeep(shown, securedValues(openActionParameters(box, action), action.securedNames));
}
