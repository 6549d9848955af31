import { Injectable } from '@nestjs/common';
import { join, resolve } from 'node:path';
import { DEFAULT_API_TOKENS, DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, Environment, parseSecretsKey, validateEnvironment } from './environment';

export interface EscConnectionConfig {
  /** Base URL up to and including /ESCManager, without a trailing slash. */
  url: string;
  username?: string;
  password?: string;
  /** Per-request headers and body timeout (the same default as a stored connection's). */
  timeoutMs: number;
  /** Requests in flight at once; more wait their turn. */
  maxInFlight: number;
}

/** The one typed view of the configuration; nothing else reads process.env. */
@Injectable()
export class AppConfig {
  readonly port: number;
  readonly databaseUrl: string;
  /** DATABASE_URL was set (rather than defaulted): `npm start` then never falls back to its embedded PostgreSQL. */
  readonly databaseUrlIsExplicit: boolean;
  readonly redisUrl: string;
  /** REDIS_URL was set (rather than defaulted): the queue backend is then Redis unless QUEUE_BACKEND says otherwise. */
  readonly redisUrlIsExplicit: boolean;
  /** QUEUE_BACKEND as set; when undefined, libs/jobs decides (see resolveQueueBackend). */
  readonly queueBackend?: 'redis' | 'postgres';
  /** NODE_ENV=production: nothing is guessed or defaulted that an operator should decide. */
  readonly production: boolean;
  /** Where the embedded PostgreSQL of `npm start` keeps its data (DATA_DIR), when set. */
  readonly dataDir?: string;
  readonly esc: EscConnectionConfig;
  readonly publicUrl: string;
  /** token → tenantId */
  readonly apiTokens: ReadonlyMap<string, { tenantId: string; role: string }>;
  /** The identity provider whose JWTs are taken (OIDC_*), when one is configured. */
  readonly oidc?: OidcConfig;
  /** The tenant whose admins see every tenant's figures in the overview (OPERATIONS_TENANT), when one is named. */
  readonly operationsTenant?: string;
  /** The console's login at the identity provider (CONSOLE_OIDC_*), when its client is configured. */
  readonly consoleOidc?: ConsoleOidcConfig;
  readonly usesDefaultApiTokens: boolean;
  readonly escSimPort: number;
  readonly logLevel: string;
  readonly queuePrefix: string;
  /** Jobs of the flow queue (steps, reconciliation) the worker runs at once. */
  readonly flowConcurrency: number;
  /** ESC callbacks the worker applies at once. */
  readonly callbackConcurrency: number;
  readonly escCallbackTimeoutMs: number;
  /** Sending a request ESC could not take: attempts, and the backoff (exponential, full jitter; ESC's Retry-After when longer). */
  readonly escRetry: { limit: number; baseMs: number; maxMs: number };
  /** The circuit breaker of each ESC connection (per process): open at errorPercent failures of at least minRequests within 10 s, for resetMs. */
  readonly escCircuit: { resetMs: number; errorPercent: number; minRequests: number };
  /** SIGTERM: how long a process may take to finish its requests and jobs. */
  readonly shutdownTimeoutMs: number;
  /** Prisma's PostgreSQL pool: connections at most (unset: sized to the worker's concurrency, at least 10), and how long a query waits for one. */
  readonly databasePool: { size?: number; timeoutMs: number };
  /** SECRETS_KEY, decoded; when unset libs/secrets refuses to start in production, and uses a development key file otherwise. */
  readonly secretsKey?: Buffer;
  /** SECRETS_KEY_PREVIOUS: keys that opened what is sealed until `secrets:rotate` sealed it anew. */
  readonly previousSecretsKeys: Buffer[];
  /** OUTBOUND_ALLOW's entries; undefined: any host but link-local and metadata addresses. */
  readonly outboundAllow?: string[];
  /** Browser origins allowed to call the API cross-origin (CORS_ORIGINS); empty: none. */
  readonly corsOrigins: string[];
  /** Calls per window (windowMs) per token, per tenant and per callback source address; 0: that limit is off. */
  readonly rateLimits: RateLimits;
  /** Where the development master key is kept when SECRETS_KEY is unset: DATA_DIR (or .data) / secrets.key. */
  readonly secretsKeyFile: string;

  constructor(env: Environment) {
    this.port = env.PORT;
    this.databaseUrl = env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
    this.databaseUrlIsExplicit = env.DATABASE_URL !== undefined;
    this.redisUrl = env.REDIS_URL ?? DEFAULT_REDIS_URL;
    this.redisUrlIsExplicit = env.REDIS_URL !== undefined;
    this.queueBackend = env.QUEUE_BACKEND;
    this.dataDir = env.DATA_DIR;
    this.production = env.NODE_ENV === 'production';
    this.escSimPort = env.ESC_SIM_PORT;
    this.esc = {
      url: stripTrailingSlash(env.ESC_URL ?? `http://127.0.0.1:${env.ESC_SIM_PORT}/ESCManager`),
      username: env.ESC_USERNAME,
      password: env.ESC_PASSWORD,
      timeoutMs: (env.ESC_TIMEOUT_SECONDS ?? 30) * 1000,
      maxInFlight: env.ESC_MAX_IN_FLIGHT ?? 16,
    };
    this.publicUrl = stripTrailingSlash(env.PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}`);
    this.apiTokens = parseApiTokens(env.API_TOKENS);
    this.oidc = env.OIDC_ISSUER
      ? {
          // as the provider writes it in iss (some end it with a slash): compared exactly
          issuer: env.OIDC_ISSUER,
          jwksUrl: env.OIDC_JWKS_URL,
          audience: env.OIDC_AUDIENCE!,
          tenantClaim: env.OIDC_TENANT_CLAIM ?? 'tenant',
          roleClaim: env.OIDC_ROLE_CLAIM ?? 'roles',
          roleMap: new Map((env.OIDC_ROLE_MAP ?? '').split(',').filter((p) => p.trim()).map((p) => p.trim().split('=') as [string, string])),
          clockSkewSeconds: env.OIDC_CLOCK_SKEW_SECONDS ?? 30,
          jwksCooldownSeconds: env.OIDC_JWKS_COOLDOWN_SECONDS ?? 30,
        }
      : undefined;
    this.operationsTenant = env.OPERATIONS_TENANT;
    this.consoleOidc = env.CONSOLE_OIDC_CLIENT_ID ? { clientId: env.CONSOLE_OIDC_CLIENT_ID, scope: env.CONSOLE_OIDC_SCOPE ?? 'openid', token: env.CONSOLE_OIDC_TOKEN ?? 'access_token' } : undefined;
    this.usesDefaultApiTokens = env.API_TOKENS === DEFAULT_API_TOKENS;
    this.logLevel = env.LOG_LEVEL ?? 'info';
    // a hash tag: every key of the queues in one Redis Cluster slot, as BullMQ's Lua scripts need
    this.queuePrefix = env.QUEUE_PREFIX ?? '{cam-esc}';
    const concurrency = env.WORKER_CONCURRENCY ?? 8;
    this.flowConcurrency = env.WORKER_FLOW_CONCURRENCY ?? concurrency;
    this.callbackConcurrency = env.WORKER_CALLBACK_CONCURRENCY ?? concurrency;
    this.escCallbackTimeoutMs = (env.ESC_CALLBACK_TIMEOUT_SECONDS ?? 900) * 1000;
    this.escRetry = { limit: env.ESC_RETRY_LIMIT ?? 12, baseMs: env.ESC_RETRY_BASE_MS ?? 1000, maxMs: env.ESC_RETRY_MAX_MS ?? 60_000 };
    this.escCircuit = { resetMs: env.ESC_CIRCUIT_RESET_MS ?? 30_000, errorPercent: env.ESC_CIRCUIT_ERROR_PERCENT ?? 50, minRequests: env.ESC_CIRCUIT_MIN_REQUESTS ?? 10 };
    this.shutdownTimeoutMs = env.SHUTDOWN_TIMEOUT_MS ?? 30_000;
    this.databasePool = { size: env.DATABASE_POOL_SIZE, timeoutMs: env.DATABASE_POOL_TIMEOUT_MS ?? 10_000 };
    this.secretsKey = env.SECRETS_KEY === undefined ? undefined : parseSecretsKey(env.SECRETS_KEY);
    this.previousSecretsKeys = (env.SECRETS_KEY_PREVIOUS ?? '').split(',').filter((k) => k.trim()).map((k) => parseSecretsKey(k)!);
    this.outboundAllow = env.OUTBOUND_ALLOW ? env.OUTBOUND_ALLOW.split(',').map((e) => e.trim()).filter(Boolean) : undefined;
    this.corsOrigins = (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
    this.rateLimits = {
      windowMs: (env.RATE_LIMIT_WINDOW_SECONDS ?? 60) * 1000,
      perToken: env.RATE_LIMIT_PER_TOKEN ?? 30_000,
      perTenant: env.RATE_LIMIT_PER_TENANT ?? 60_000,
      callbacksPerSource: env.RATE_LIMIT_CALLBACKS ?? 120_000,
    };
    this.secretsKeyFile = resolve(join(env.DATA_DIR ?? '.data', 'secrets.key'));
  }

  static fromEnv(raw: Record<string, unknown> = process.env): AppConfig {
    return new AppConfig(validateEnvironment(raw));
  }
}

function parseApiTokens(value: string): Map<string, { tenantId: string; role: string }> {
  const map = new Map<string, { tenantId: string; role: string }>();
  for (const entry of value.split(',')) {
    const [tenantId, token, role] = entry.trim().split(':');
    map.set(token, { tenantId, role: role ?? 'admin' });
  }
  return map;
}

export interface RateLimits {
  windowMs: number;
  perToken: number;
  perTenant: number;
  callbacksPerSource: number;
}

export interface ConsoleOidcConfig {
  clientId: string;
  scope: string;
  /** The token of the provider's answer the console sends (access_token: its aud must be OIDC_AUDIENCE). */
  token: 'access_token' | 'id_token';
}

export interface OidcConfig {
  /** The tokens' `iss`; its discovery document gives the JWKS unless jwksUrl does. */
  issuer: string;
  jwksUrl?: string;
  audience: string;
  /** The claim that names the tenant. */
  tenantClaim: string;
  /** The claim that lists the caller's roles or groups (an array, or a space- or comma-separated string). */
  roleClaim: string;
  /** A provider's name for a role → the gateway's role (names not in it count as themselves). */
  roleMap: ReadonlyMap<string, string>;
  clockSkewSeconds: number;
  /** The least time between two reads of the JWKS. */
  jwksCooldownSeconds: number;
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
