import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, validateSync } from 'class-validator';
import { isIP } from 'node:net';

export const DEFAULT_API_TOKENS = 'dev-tenant:dev-token';
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/cam_esc_gateway';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

/** An integer variable in [min, max]; `what` says what it must be ("an integer port number"). */
function IntBetween(name: string, min: number, max: number, what: string, { optional = false } = {}): PropertyDecorator {
  const range = { message: `${name} must be between ${min} and ${max}` };
  const decorators = [Transform(toInt), ...(optional ? [IsOptional()] : []), IsInt({ message: `${name} must be ${what}` }), Min(min, range), Max(max, range)];
  // applied bottom-up, as stacked decorators are (the error reported first is the last applied)
  return (target, key) => [...decorators].reverse().forEach((decorate) => decorate(target, key));
}

/**
 * Every environment variable the processes read (DESIGN §3). Validated once at boot; a bad
 * value stops the process with a message that names the variable.
 */
export class Environment {
  @IntBetween('PORT', 1, 65535, 'an integer port number')
  PORT = 3000;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL?: string;

  /** Optional: when it is not set, the Redis queue backend uses the default address (if it answers). */
  @IsOptional()
  @Matches(/^(rediss?|redis\+sentinel):\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL, or redis+sentinel://host:port,host:port/<master name>' })
  REDIS_URL?: string;

  /** Where BullMQ keeps its jobs; unset: `redis` when REDIS_URL is set or Redis answers, else `postgres`. */
  @IsOptional()
  @IsIn(['redis', 'postgres'], { message: 'QUEUE_BACKEND must be redis or postgres' })
  QUEUE_BACKEND?: 'redis' | 'postgres';

  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  /** Where `npm start`'s embedded PostgreSQL keeps its data (in DATA_DIR/postgres). */
  @IsOptional()
  @IsString({ message: 'DATA_DIR must be a directory path' })
  DATA_DIR?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'ESC_URL must be an http(s) URL such as http://esc:8080/ESCManager' })
  ESC_URL?: string;

  @IsOptional()
  @IsString()
  ESC_USERNAME?: string;

  @IsOptional()
  @IsString()
  ESC_PASSWORD?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'PUBLIC_URL must be an http(s) URL at which ESC reaches the gateway' })
  PUBLIC_URL?: string;

  @Matches(/^\s*[^:,\s]+:[^:,\s]+(:(viewer|operator|catalog-admin|admin))?\s*(,\s*[^:,\s]+:[^:,\s]+(:(viewer|operator|catalog-admin|admin))?\s*)*$/, {
    message: 'API_TOKENS must be comma-separated tenantId:token pairs, each optionally with :role (viewer, operator, catalog-admin, admin; admin when absent), e.g. "acme:s3cret,acme:r3ader:viewer"',
  })
  API_TOKENS = DEFAULT_API_TOKENS;

  /** The identity provider whose bearer JWTs are taken: its issuer (OIDC discovery at <issuer>/.well-known/openid-configuration). */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'OIDC_ISSUER must be the http(s) URL of the identity provider (its iss)' })
  OIDC_ISSUER?: string;

  /** Its key set, when it has no discovery document (else read from the discovery). */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'OIDC_JWKS_URL must be an http(s) URL' })
  OIDC_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  OIDC_AUDIENCE?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:/-]{1,128}$/, { message: 'OIDC_TENANT_CLAIM must be a claim name' })
  OIDC_TENANT_CLAIM?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:/-]{1,128}$/, { message: 'OIDC_ROLE_CLAIM must be a claim name' })
  OIDC_ROLE_CLAIM?: string;

  /** The provider's role or group names as the gateway's roles: `cam-ops=operator,cam-readers=viewer`. */
  @IsOptional()
  @Matches(/^\s*[^=,\s]+=(viewer|operator|catalog-admin|admin)\s*(,\s*[^=,\s]+=(viewer|operator|catalog-admin|admin)\s*)*$/, {
    message: 'OIDC_ROLE_MAP must be comma-separated name=role pairs, each role one of viewer, operator, catalog-admin, admin (e.g. "cam-ops=operator")',
  })
  OIDC_ROLE_MAP?: string;

  @IntBetween('OIDC_CLOCK_SKEW_SECONDS', 0, 300, 'an integer number of seconds', { optional: true })
  OIDC_CLOCK_SKEW_SECONDS?: number;

  /** The least time between two reads of the provider's keys (a token with an unknown kid reads them again). */
  @IntBetween('OIDC_JWKS_COOLDOWN_SECONDS', 0, 3600, 'an integer number of seconds', { optional: true })
  OIDC_JWKS_COOLDOWN_SECONDS?: number;

  /** The tenant whose admins run the whole gateway: the console's overview shows them every tenant's instances and actions. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,128}$/, { message: 'OPERATIONS_TENANT must be a tenant id (1..128 characters of A-Z a-z 0-9 . _ -)' })
  OPERATIONS_TENANT?: string;

  /** The console's client at the identity provider (public, authorization code with PKCE): its login page offers the provider's. */
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,255}$/, { message: 'CONSOLE_OIDC_CLIENT_ID must be the client id the provider gave the console (printable, no spaces)' })
  CONSOLE_OIDC_CLIENT_ID?: string;

  @IsOptional()
  @Matches(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, { message: 'CONSOLE_OIDC_SCOPE must be space-separated scopes, e.g. "openid profile"' })
  CONSOLE_OIDC_SCOPE?: string;

  /** Which token of the provider's answer the console sends as its bearer. */
  @IsOptional()
  @IsIn(['access_token', 'id_token'], { message: 'CONSOLE_OIDC_TOKEN must be access_token or id_token' })
  CONSOLE_OIDC_TOKEN?: 'access_token' | 'id_token';

  /** Hosts that calls the catalog controls (stored ESC connections, resthooks) may go to; unset: any but link-local and metadata addresses. */
  @IsOptional()
  @IsString()
  OUTBOUND_ALLOW?: string;

  /** Browser origins (portals) allowed to call the API cross-origin; none by default. */
  @IsOptional()
  @Matches(/^\s*https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\s*(,\s*https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\s*)*$/, {
    message: 'CORS_ORIGINS must be comma-separated origins (scheme, host and optional port, no path), e.g. "https://portal.example.com,https://ops.example.com"',
  })
  CORS_ORIGINS?: string;

  /** The window of the rate limits, in seconds: each limit counts the calls of one window. */
  @IntBetween('RATE_LIMIT_WINDOW_SECONDS', 1, 3600, 'an integer number of seconds', { optional: true })
  RATE_LIMIT_WINDOW_SECONDS?: number;

  /** Calls one token (an API token, or a JWT's subject) may make in a window; 0: no limit. */
  @IntBetween('RATE_LIMIT_PER_TOKEN', 0, 100000000, 'an integer (0: no limit)', { optional: true })
  RATE_LIMIT_PER_TOKEN?: number;

  /** Calls all of a tenant's callers together may make in a window; 0: no limit. */
  @IntBetween('RATE_LIMIT_PER_TENANT', 0, 100000000, 'an integer (0: no limit)', { optional: true })
  RATE_LIMIT_PER_TENANT?: number;

  /** ESC callbacks one source address may send in a window; 0: no limit. */
  @IntBetween('RATE_LIMIT_CALLBACKS', 0, 100000000, 'an integer (0: no limit)', { optional: true })
  RATE_LIMIT_CALLBACKS?: number;

  @IntBetween('ESC_SIM_PORT', 1, 65535, 'an integer port number')
  ESC_SIM_PORT = 8080;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent' })
  LOG_LEVEL?: string;

  /** Prefix of every BullMQ key, so several gateways (or test runs) can share one Redis. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9:_{}-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1..64 characters of A-Z a-z 0-9 : _ - { } (braces make a Redis Cluster hash tag, e.g. {cam-esc})' })
  QUEUE_PREFIX?: string;

  /** Requests in flight at once on the built-in ESC connection (ESC_URL), shared by the live workers. */
  @IntBetween('ESC_MAX_IN_FLIGHT', 1, 1000, 'an integer', { optional: true })
  ESC_MAX_IN_FLIGHT?: number;

  /** How long a request on the built-in ESC connection may take (headers and body). */
  @IntBetween('ESC_TIMEOUT_SECONDS', 1, 300, 'an integer number of seconds', { optional: true })
  ESC_TIMEOUT_SECONDS?: number;

  /** How long a step may wait for ESC's final callback before the worker asks ESC (GET) itself. */
  @IntBetween('ESC_CALLBACK_TIMEOUT_SECONDS', 1, 86400, 'an integer number of seconds', { optional: true })
  ESC_CALLBACK_TIMEOUT_SECONDS?: number;

  /** How many times a request ESC could not take (unreachable, 5xx, 429) is sent before its step fails. */
  @IntBetween('ESC_RETRY_LIMIT', 1, 100, 'an integer', { optional: true })
  ESC_RETRY_LIMIT?: number;

  /** The first wait before a request is sent again (doubling each time, with full jitter, up to ESC_RETRY_MAX_MS). */
  @IntBetween('ESC_RETRY_BASE_MS', 1, 600000, 'an integer number of milliseconds', { optional: true })
  ESC_RETRY_BASE_MS?: number;

  @IntBetween('ESC_RETRY_MAX_MS', 1, 3600000, 'an integer number of milliseconds', { optional: true })
  ESC_RETRY_MAX_MS?: number;

  /** How long an ESC connection's circuit stays open (requests refused at once) before one trial request is let through. */
  @IntBetween('ESC_CIRCUIT_RESET_MS', 100, 3600000, 'an integer number of milliseconds', { optional: true })
  ESC_CIRCUIT_RESET_MS?: number;

  /** The share of failed requests (unreachable, 5xx) within 10 s that opens a connection's circuit. */
  @IntBetween('ESC_CIRCUIT_ERROR_PERCENT', 1, 100, 'an integer percentage', { optional: true })
  ESC_CIRCUIT_ERROR_PERCENT?: number;

  /** Requests within 10 s before a connection's circuit may open at all. */
  @IntBetween('ESC_CIRCUIT_MIN_REQUESTS', 1, 10000, 'an integer', { optional: true })
  ESC_CIRCUIT_MIN_REQUESTS?: number;

  /** How long a process given SIGTERM may take to finish what it is doing (requests, jobs) before it exits anyway. */
  @IntBetween('SHUTDOWN_TIMEOUT_MS', 100, 600000, 'an integer number of milliseconds', { optional: true })
  SHUTDOWN_TIMEOUT_MS?: number;

  /** PostgreSQL connections each process keeps at most (Prisma's pool). */
  @IntBetween('DATABASE_POOL_SIZE', 1, 500, 'an integer', { optional: true })
  DATABASE_POOL_SIZE?: number;

  /** How long a query waits for a free connection of the pool before it fails (503). */
  @IntBetween('DATABASE_POOL_TIMEOUT_MS', 100, 600000, 'an integer number of milliseconds', { optional: true })
  DATABASE_POOL_TIMEOUT_MS?: number;

  /** Master key wrapping the data keys of secrets at rest (libs/secrets); format checked in crossFieldErrors. */
  @IsOptional()
  @IsString()
  SECRETS_KEY?: string;

  /** Master keys sealed with before SECRETS_KEY (comma-separated), readable during a rotation (npm run secrets:rotate). */
  @IsOptional()
  @IsString()
  SECRETS_KEY_PREVIOUS?: string;

  @IntBetween('WORKER_CONCURRENCY', 1, 100, 'an integer', { optional: true })
  WORKER_CONCURRENCY?: number;

  @IntBetween('WORKER_FLOW_CONCURRENCY', 1, 100, 'an integer', { optional: true })
  WORKER_FLOW_CONCURRENCY?: number;

  @IntBetween('WORKER_CALLBACK_CONCURRENCY', 1, 100, 'an integer', { optional: true })
  WORKER_CALLBACK_CONCURRENCY?: number;
}

export class InvalidEnvironmentError extends Error {}

export const SECRETS_KEY_RULE = 'SECRETS_KEY must be 32 bytes written as 64 hex characters or as base64 (e.g. the output of `openssl rand -base64 32`)';

/** The 32-byte key of SECRETS_KEY (64 hex characters, or base64 / base64url), or undefined when the text is not one. */
export function parseSecretsKey(text: string): Buffer | undefined {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) return undefined;
  const key = Buffer.from(value, 'base64');
  return key.length === 32 ? key : undefined;
}

/** Validates raw variables (process.env); throws one error listing every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(Environment, cleaned, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  // one line per variable: the first rule it breaks
  const lines = errors.map((e) => `  - ${Object.values(e.constraints ?? {}).reverse()[0]} (got ${JSON.stringify(redactIfSecret(e.property, e.value))})`);
  lines.push(...crossFieldErrors(env).map((m) => `  - ${m}`));
  if (lines.length > 0) {
    throw new InvalidEnvironmentError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return env;
}

function crossFieldErrors(env: Environment): string[] {
  const errors: string[] = [];
  if (env.ESC_PASSWORD && !env.ESC_USERNAME) errors.push('ESC_PASSWORD is set without ESC_USERNAME: set both for Basic auth, or neither');
  if (env.ESC_URL && /^[a-z]+:\/\/[^/]*@/i.test(env.ESC_URL)) errors.push('ESC_URL must not carry credentials: put them in ESC_USERNAME and ESC_PASSWORD');
  if (env.SECRETS_KEY !== undefined && !parseSecretsKey(env.SECRETS_KEY)) errors.push(`${SECRETS_KEY_RULE} (got "***")`);
  if (env.SECRETS_KEY_PREVIOUS !== undefined) {
    if (env.SECRETS_KEY === undefined) errors.push('SECRETS_KEY_PREVIOUS is set without SECRETS_KEY: a rotation needs the new key in SECRETS_KEY');
    if (!env.SECRETS_KEY_PREVIOUS.split(',').every((k) => parseSecretsKey(k))) errors.push(`SECRETS_KEY_PREVIOUS must be comma-separated keys, each as SECRETS_KEY takes one: ${SECRETS_KEY_RULE.replace(/^SECRETS_KEY must be /, '')} (got "***")`);
  }
  if ((env.OIDC_ISSUER || env.OIDC_JWKS_URL) && !env.OIDC_AUDIENCE) errors.push('OIDC_AUDIENCE must be set with OIDC_ISSUER or OIDC_JWKS_URL: the audience (aud) the tokens are issued for');
  if (env.CONSOLE_OIDC_SCOPE !== undefined && !env.CONSOLE_OIDC_SCOPE.split(' ').includes('openid')) errors.push('CONSOLE_OIDC_SCOPE must include openid: the console checks the ID token of its login');
  if (env.CONSOLE_OIDC_CLIENT_ID && !env.OIDC_ISSUER) errors.push('OIDC_ISSUER must be set with CONSOLE_OIDC_CLIENT_ID: the console logs in at that provider');
  if (!env.OIDC_ISSUER && (env.OIDC_JWKS_URL || env.OIDC_AUDIENCE)) errors.push('OIDC_ISSUER must be set with OIDC_JWKS_URL or OIDC_AUDIENCE: the issuer (iss) the tokens must come from');
  const outbound = (env.OUTBOUND_ALLOW ?? '').split(',').map((e) => e.trim()).filter(Boolean).map(outboundEntryProblem).filter(Boolean);
  if (outbound.length) errors.push(`OUTBOUND_ALLOW must be comma-separated host names, *.domains, addresses or networks: ${outbound.join('; ')}`);
  return errors;
}

function redactIfSecret(name: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (/PASSWORD|TOKEN|KEY/.test(name)) return '***';
  return value.replace(/\/\/[^@/]*@/, '//***@'); // credentials inside a URL
}

/** Why an entry of OUTBOUND_ALLOW is not one (libs/outbound reads them), or undefined. */
export function outboundEntryProblem(entry: string): string | undefined {
  const e = entry.trim();
  if (/^\*\.[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(e) || /^[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(e) || isIP(e)) return undefined;
  const [net, bits, extra] = e.split('/');
  const max = isIP(net) === 6 ? 128 : 32;
  if (extra === undefined && isIP(net) && /^\d{1,3}$/.test(bits ?? '') && Number(bits) <= max) return undefined;
  return `'${e.slice(0, 80)}' is not a host name, *.domain, address or network (a.b.c.d/n)`;
}

