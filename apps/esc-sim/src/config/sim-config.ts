export type SimLogLevel = 'silent' | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

const LOG_LEVELS: readonly SimLogLevel[] = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'];

export interface SimConfig {
  host: string;
  port: number;
  /** Basic auth is enforced on /ESCManager only when both are set. */
  username?: string;
  password?: string;
  /** Pause before each callback of an operation. */
  callbackDelayMs: number;
  /** Extra attempts after a failed callback POST. */
  callbackRetries: number;
  /** First retry backoff; doubles on each further attempt. */
  callbackRetryDelayMs: number;
  /** Per-attempt timeout of a callback POST. */
  callbackTimeoutMs: number;
  logLevel: SimLogLevel;
}

export const SIM_CONFIG = Symbol('SIM_CONFIG');

export const DEFAULT_SIM_CONFIG: SimConfig = {
  host: '0.0.0.0',
  port: 8080,
  callbackDelayMs: 100,
  callbackRetries: 3,
  callbackRetryDelayMs: 200,
  callbackTimeoutMs: 5000,
  logLevel: 'info',
};

export class SimConfigError extends Error {}

/**
 * The only place in esc-sim that reads the environment.
 * Throws SimConfigError naming the offending variable.
 */
export function loadSimConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SimConfig {
  const config: SimConfig = {
    host: optionalString(env, 'ESC_SIM_HOST') ?? DEFAULT_SIM_CONFIG.host,
    port: integer(env, 'ESC_SIM_PORT', DEFAULT_SIM_CONFIG.port, 0, 65535),
    username: optionalString(env, 'ESC_SIM_USERNAME'),
    password: optionalString(env, 'ESC_SIM_PASSWORD'),
    callbackDelayMs: integer(env, 'ESC_SIM_CALLBACK_DELAY_MS', DEFAULT_SIM_CONFIG.callbackDelayMs, 0, 3_600_000),
    callbackRetries: integer(env, 'ESC_SIM_CALLBACK_RETRIES', DEFAULT_SIM_CONFIG.callbackRetries, 0, 100),
    callbackRetryDelayMs: integer(env, 'ESC_SIM_CALLBACK_RETRY_DELAY_MS', DEFAULT_SIM_CONFIG.callbackRetryDelayMs, 0, 600_000),
    callbackTimeoutMs: integer(env, 'ESC_SIM_CALLBACK_TIMEOUT_MS', DEFAULT_SIM_CONFIG.callbackTimeoutMs, 1, 600_000),
    logLevel: logLevel(env, 'ESC_SIM_LOG_LEVEL', DEFAULT_SIM_CONFIG.logLevel),
  };
  assertCredentialsPaired(config, 'ESC_SIM_USERNAME', 'ESC_SIM_PASSWORD');
  return config;
}

export function assertCredentialsPaired(
  config: Pick<SimConfig, 'username' | 'password'>,
  usernameName = 'username',
  passwordName = 'password',
): void {
  if ((config.username === undefined) !== (config.password === undefined)) {
    throw new SimConfigError(`${usernameName} and ${passwordName} must be set together (basic auth needs both)`);
  }
}

function optionalString(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = optionalString(env, name)?.trim();
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) {
    throw new SimConfigError(`${name} must be a non-negative integer, got '${raw}'`);
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new SimConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function logLevel(env: NodeJS.ProcessEnv, name: string, fallback: SimLogLevel): SimLogLevel {
  const raw = optionalString(env, name)?.trim().toLowerCase();
  if (raw === undefined) return fallback;
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new SimConfigError(`${name} must be one of ${LOG_LEVELS.join(', ')}, got '${raw}'`);
  }
  return raw as SimLogLevel;
}
