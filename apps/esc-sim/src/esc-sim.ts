import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { ESC_BASE_PATH, isSimAdminPath } from './common/paths';
import { DEFAULT_SIM_CONFIG, SimConfig, SimLogLevel, assertCredentialsPaired } from './config/sim-config';
import { EscSimModule } from './esc-sim.module';

export interface EscSimOptions {
  /** 0 (the default here) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Pause before each callback; default 100 ms. */
  callbackDelayMs?: number;
  /** Enables HTTP Basic auth on /ESCManager; give both or neither. */
  username?: string;
  password?: string;
  /** Extra attempts after a failed callback POST; default 3. */
  callbackRetries?: number;
  /** First retry backoff, doubled each further attempt; default 200 ms. */
  callbackRetryDelayMs?: number;
  /** Per-attempt callback timeout; default 5000 ms. */
  callbackTimeoutMs?: number;
  /** false (the default here) is silent; otherwise a pino level for JSON logs on stdout. */
  logger?: false | SimLogLevel;
}

export interface RunningEscSim {
  /** ESC base URL, e.g. http://127.0.0.1:41234/ESCManager */
  url: string;
  /** Server root, e.g. http://127.0.0.1:41234 (the /_sim API lives here). */
  baseUrl: string;
  port: number;
  app: NestExpressApplication;
  /** Stops pending callbacks and the HTTP server. */
  close(): Promise<void>;
}

/** Boots the simulator in-process, e.g. from a test. */
export async function startEscSim(options: EscSimOptions = {}): Promise<RunningEscSim> {
  const config: SimConfig = {
    ...DEFAULT_SIM_CONFIG,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    username: options.username,
    password: options.password,
    callbackDelayMs: options.callbackDelayMs ?? DEFAULT_SIM_CONFIG.callbackDelayMs,
    callbackRetries: options.callbackRetries ?? DEFAULT_SIM_CONFIG.callbackRetries,
    callbackRetryDelayMs: options.callbackRetryDelayMs ?? DEFAULT_SIM_CONFIG.callbackRetryDelayMs,
    callbackTimeoutMs: options.callbackTimeoutMs ?? DEFAULT_SIM_CONFIG.callbackTimeoutMs,
    logLevel: options.logger === false || options.logger === undefined ? 'silent' : options.logger,
  };
  return launchEscSim(config);
}

/** Shared by startEscSim and main.ts. */
export async function launchEscSim(config: SimConfig, { shutdownHooks = false } = {}): Promise<RunningEscSim> {
  assertCredentialsPaired(config);
  const logs = config.logLevel !== 'silent';
  const adapter = new ExpressAdapter();
  // ESC treats /escmanager as a different path. The adapter has already built express's router,
  // so the setting goes on the router itself, before any route is registered.
  (adapter.getInstance<{ router: { caseSensitive: boolean } }>()).router.caseSensitive = true;
  const app = await NestFactory.create<NestExpressApplication>(EscSimModule.forRoot(config), adapter, {
    bodyParser: false,
    ...(logs ? { bufferLogs: true } : { logger: false }),
  });
  if (logs) app.useLogger(app.get(Logger));
  if (shutdownHooks) app.enableShutdownHooks();

  app.disable('x-powered-by');
  // Everything outside /_sim is read as raw text whatever its Content-Type, so the datamodel
  // parser and the request log see exactly what the client sent; /_sim takes JSON.
  app.useBodyParser('text', { type: (req: IncomingMessage) => !isSimAdminPath(req.url ?? ''), limit: '10mb' });
  app.useBodyParser('json', { limit: '1mb' });

  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://${urlHost(config.host)}:${port}`;
  return { url: `${baseUrl}${ESC_BASE_PATH}`, baseUrl, port, app, close: () => app.close() };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
