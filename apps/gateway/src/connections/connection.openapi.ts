/** OpenAPI schemas and examples of /cam/api/v1/connections. */
const str = { type: 'string' };
const nullableStr = { type: 'string', nullable: true };

export const CONNECTION_SCHEMA = {
  type: 'object',
  required: ['id', 'name', 'builtin', 'url', 'password_set', 'timeout_seconds', 'max_in_flight'],
  properties: {
    id: { type: 'string', description: "a UUID; 'default' for the built-in connection" },
    name: str,
    builtin: { type: 'boolean', description: 'true for `default`, the connection ESC_URL configures (read-only here)' },
    url: str,
    username: nullableStr,
    password_set: { type: 'boolean', description: 'whether a password is stored; the password itself is never returned' },
    default_tenant: nullableStr,
    ca_bundle: nullableStr,
    timeout_seconds: { type: 'integer' },
    max_in_flight: { type: 'integer' },
    configured_by: { type: 'string', description: 'built-in connection only' },
    tenantId: str,
    creationTime: { type: 'string', format: 'date-time' },
    lastUpdated: { type: 'string', format: 'date-time' },
  },
};

export const CONNECTION_EXAMPLE = {
  id: '3f6c2a8e-5d1b-4b7e-9a41-0c2d8e6f1a27',
  name: 'esc-east',
  builtin: false,
  url: 'https://esc-east.example:8443/ESCManager',
  username: 'admin',
  password_set: true,
  default_tenant: 'admin',
  ca_bundle: null,
  timeout_seconds: 30,
  max_in_flight: 16,
  tenantId: 'acme',
  creationTime: '2026-12-02T10:00:00.000Z',
  lastUpdated: '2026-12-02T10:00:00.000Z',
};

export const BUILTIN_CONNECTION_EXAMPLE = {
  id: 'default',
  name: 'default',
  builtin: true,
  url: 'http://127.0.0.1:8080/ESCManager',
  username: 'admin',
  password_set: true,
  default_tenant: null,
  ca_bundle: null,
  timeout_seconds: 30,
  max_in_flight: 16,
  configured_by: 'the environment (ESC_URL, ESC_USERNAME, ESC_PASSWORD)',
};

export const CREATE_CONNECTION_EXAMPLE = {
  name: 'esc-east',
  url: 'https://esc-east.example:8443/ESCManager',
  username: 'admin',
  password: 'esc-password',
  default_tenant: 'admin',
  timeout_seconds: 30,
  max_in_flight: 16,
};

export const CONNECTION_TEST_SCHEMA = {
  type: 'object',
  required: ['name', 'url', 'reachable', 'http_status', 'authenticated', 'tenants', 'latency_ms', 'message'],
  properties: {
    name: str,
    url: str,
    reachable: { type: 'boolean', description: 'ESC answered at all' },
    http_status: { type: 'integer', nullable: true, description: 'status of GET {url}/v0/tenants; null when unreachable' },
    authenticated: { type: 'boolean', description: 'ESC took the credentials (any answer but 401/403)' },
    tenants: { type: 'integer', nullable: true, description: 'tenants ESC listed, when its answer could be read' },
    latency_ms: { type: 'integer' },
    message: { type: 'string', description: 'what happened, in words' },
  },
  example: { name: 'esc-east', url: 'https://esc-east.example:8443/ESCManager', reachable: true, http_status: 401, authenticated: false, tenants: null, latency_ms: 12, message: 'ESC refused the credentials (HTTP 401): check username and password' },
};
