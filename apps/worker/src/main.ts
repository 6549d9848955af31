import { AppConfig, InvalidEnvironmentError } from '@cam-esc/config';
import { QueueBackend } from '@cam-esc/jobs';
import { closeGracefullyOnSignal } from '@cam-esc/observability';
import { createWorker, drainWorkers } from './bootstrap';

async function main(): Promise<void> {
  const config = AppConfig.fromEnv();
  const worker = await createWorker(config);
  closeGracefullyOnSignal(worker, 'worker', config.shutdownTimeoutMs, () => drainWorkers(worker));
  const queue = worker.get(QueueBackend);
  console.log(`cam-esc-gateway worker running: ESC ${config.esc.url}, callbacks via ${config.publicUrl}/esc/callbacks, queue on ${queue.kind} (${queue.reason})`);
}

main().catch((e) => {
  console.error(e instanceof InvalidEnvironmentError ? e.message : e);
  process.exit(1);
});
