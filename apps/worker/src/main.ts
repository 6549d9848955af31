import { AppConfig, InvalidEnvironmentError } from '@cam-esc/config';
import { createWorker } from './bootstrap';

async function main(): Promise<void> {
  const config = AppConfig.fromEnv();
  await createWorker(config);
  console.log(`cam-esc-gateway worker running: ESC ${config.esc.url}, callbacks via ${config.publicUrl}/esc/callbacks`);
}

main().catch((e) => {
  console.error(e instanceof InvalidEnvironmentError ? e.message : e);
  process.exit(1);
});
