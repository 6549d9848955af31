import { SharedParameter } from '@cam-esc/persistence';
import { SECURED_MASK } from './shared-parameter-values';

/** As answered: secured values masked (they are sealed in the row anyway). */
export function toSharedParameterView(p: SharedParameter) {
  const values = Object.fromEntries(Object.entries(p.values as Record<string, unknown>).map(([k, v]) => [k, p.securedKeys.includes(k) ? SECURED_MASK : v]));
  return {
    id: p.id,
    name: p.name,
    datatype: p.datatype,
    values,
    secured_keys: p.securedKeys,
    tenantId: p.tenantId,
    creationTime: p.createdAt.toISOString(),
    lastUpdated: p.updatedAt.toISOString(),
  };
}
