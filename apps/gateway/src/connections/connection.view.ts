import { EscConnectionConfig } from '@cam-esc/config';
import { DEFAULT_CONNECTION } from '@cam-esc/esc';
import { EscConnection } from '@cam-esc/persistence';

/** A stored connection as answered: the password never, only whether there is one. */
export function toConnectionView(c: EscConnection) {
  return {
    id: c.id,
    name: c.name,
    builtin: false,
    url: c.url,
    username: c.username,
    password_set: c.passwordSealed !== null,
    default_tenant: c.defaultTenant,
    ca_bundle: c.caBundle,
    timeout_seconds: c.timeoutSeconds,
    max_in_flight: c.maxInFlight,
    tenantId: c.tenantId,
    creationTime: c.createdAt.toISOString(),
    lastUpdated: c.updatedAt.toISOString(),
  };
}

export const BUILTIN_CONFIGURED_BY = 'the environment (ESC_URL, ESC_USERNAME, ESC_PASSWORD)';

/** The connection ESC_URL configures, as every tenant sees it. */
export function builtinConnectionView(esc: EscConnectionConfig) {
  return {
    id: DEFAULT_CONNECTION,
    name: DEFAULT_CONNECTION,
    builtin: true,
    url: esc.url,
    username: esc.username ?? null,
    password_set: Boolean(esc.password),
    default_tenant: null,
    ca_bundle: null,
    timeout_seconds: esc.timeoutMs / 1000,
    max_in_flight: esc.maxInFlight,
    configured_by: BUILTIN_CONFIGURED_BY,
  };
}

export type ConnectionView = ReturnType<typeof toConnectionView> | ReturnType<typeof builtinConnectionView>;
