import { AppConfig, InvalidEnvironmentError } from '@cam-esc/config';
import { QueueBackend } from '@cam-esc/jobs';
import { closeGracefullyOnSignal } from '@cam-esc/observability';
import { Server } from 'node:http';
import { createGateway } from './bootstrap';
import { shutdown } from './common/shutdown-state';
import { endAllStreams } from './instances/events/sse';

async function main(): Promise<void> {
  const config = AppConfig.fromEnv();
  const app = await createGateway(config);
  await app.listen(config.port, '0.0.0.0');
  closeGracefullyOnSignal(app, 'gateway', config.shutdownTimeoutMs, async () => {
    // no new connections; the requests in flight finish; live streams end (their clients reconnect elsewhere)
    const server = app.getHttpServer() as Server;
    shutdown.started = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    endAllStreams();
    // keep-alive sockets go idle as their requests end (an ended stream's too): close them as they do
    const sweep = setInterval(() => server.closeIdleConnections(), 200);
    server.closeIdleConnections();
    await closed.finally(() => clearInterval(sweep));
  });
  const base = `http://127.0.0.1:${config.port}`;
  const queue = app.get(QueueBackend);
  console.log(`cam-esc-gateway listening: API ${base}/cam/composer/api/v1, docs ${base}/docs, ESC ${config.esc.url}, queue on ${queue.kind} (${queue.reason})`);
  if (config.usesDefaultApiTokens) {
    console.log('API_TOKENS is not set: using the development token: Authorization: Bearer dev-token (tenant dev-tenant). Set API_TOKENS in production.');
  }
}

main().catch((e) => {
  console.error(e instanceof InvalidEnvironmentError ? e.message : e);
  process.exit(1);
});
