import { X509Certificate } from 'node:crypto';
import { DomainException } from '@cam-esc/errors';
import { DEFAULT_CONNECTION } from '@cam-esc/esc';
import { OutboundPolicy } from '@cam-esc/outbound';
import { EscConnectionFields } from '@cam-esc/persistence';

export const CONNECTION_NAME = /^[A-Za-z0-9._-]{1,64}$/;
/** ESC's own rule for the ids in its URLs (max 72 characters). */
export const ESC_TENANT_NAME = /^[A-Za-z0-9._-]{1,72}$/;
export const CONNECTION_DEFAULTS = { timeoutSeconds: 30, maxInFlight: 16 } as const;

/** A connection as the API takes it (create, or a stored one with an update applied). */
export interface ConnectionInput {
  name: string;
  url: string;
  username: string;
  default_tenant?: string | null;
  ca_bundle?: string | null;
  timeout_seconds?: number | null;
  max_in_flight?: number | null;
}

/** The stored fields of a connection (password aside), checked beyond what each field's own rule says. */
export function connectionFields(input: ConnectionInput, outbound: OutboundPolicy): Omit<EscConnectionFields, 'passwordSealed'> {
  if (input.name.toLowerCase() === DEFAULT_CONNECTION) {
    throw DomainException.invalid(`name: '${input.name}' is reserved for the connection ESC_URL configures`, { field: 'name' });
  }
  const url = escBaseUrl(input.url);
  const refused = outbound.urlRule(new URL(url));
  if (refused) throw DomainException.invalid(`url: ${refused}`, { field: 'url' });
  if (input.ca_bundle) checkCaBundle(input.ca_bundle, url);
  return {
    name: input.name,
    url,
    username: input.username,
    defaultTenant: input.default_tenant || null,
    caBundle: input.ca_bundle || null,
    timeoutSeconds: input.timeout_seconds ?? CONNECTION_DEFAULTS.timeoutSeconds,
    maxInFlight: input.max_in_flight ?? CONNECTION_DEFAULTS.maxInFlight,
  };
}

/** http(s)://host[:port]/…/ESCManager, without credentials, query or trailing slash. */
export function escBaseUrl(raw: string): string {
  const invalid = (rule: string) => DomainException.invalid(`url: ${rule}`, { field: 'url' });
  const absolute = 'must be an absolute http(s) URL such as https://esc.example:8443/ESCManager';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(absolute);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`${absolute} (got scheme '${url.protocol.slice(0, 20)}')`);
  if (url.username || url.password) throw invalid('must not carry credentials: give them as username and password');
  if (url.search || url.hash || /[?#]/.test(raw)) throw invalid('must not have a query or a fragment');
  const path = url.pathname.replace(/\/+$/, '');
  if (!path.endsWith('/ESCManager')) throw invalid('must go up to and including /ESCManager, e.g. https://esc.example:8443/ESCManager');
  return `${url.origin}${path}`;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

function checkCaBundle(pem: string, url: string): void {
  const invalid = (rule: string) => DomainException.invalid(`ca_bundle: ${rule}`, { field: 'ca_bundle' });
  if (!url.startsWith('https:')) throw invalid('only applies to an https url');
  if (/PRIVATE KEY-----/.test(pem)) throw invalid('must not contain a private key: give only the CA certificates to trust');
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw invalid('must be PEM text with at least one -----BEGIN CERTIFICATE----- block');
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch {
      throw invalid(`certificate ${i + 1} of ${blocks.length} is not a valid PEM certificate`);
    }
  });
}
