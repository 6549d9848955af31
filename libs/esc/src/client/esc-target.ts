import { AppConfig } from '@cam-esc/config';

/** The name of the connection ESC_URL, ESC_USERNAME and ESC_PASSWORD configure. */
export const DEFAULT_CONNECTION = 'default';

/** One ESC controller and how to talk to it (libs/connections resolves them by name). */
export interface EscTarget {
  /** Connection name (`default`: the environment's). */
  name: string;
  /** Identity of the connection record (its id; `default` for the environment's); names repeat across tenants. Defaults to name. */
  id?: string;
  /** Base URL up to and including /ESCManager, without a trailing slash. */
  url: string;
  username?: string;
  password?: string;
  /** PEM certificates to trust for an https url instead of the system's CAs. */
  caBundle?: string;
  /** The ESC tenant a resource that lives in one goes to when its template names none. */
  defaultTenant?: string;
  /** Headers and body timeout of each request. */
  timeoutMs: number;
  /** Requests in flight at once on this connection; more wait their turn. */
  maxInFlight: number;
  /** Changes whenever the connection does (its updatedAt in ms): a new version gets a new HTTP agent. */
  version: number;
}

export function defaultEscTarget(config: AppConfig): EscTarget {
  const { url, username, password, timeoutMs, maxInFlight } = config.esc;
  return { name: DEFAULT_CONNECTION, id: DEFAULT_CONNECTION, url, username, password, timeoutMs, maxInFlight, version: 0 };
}
