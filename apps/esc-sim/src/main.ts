import { Logger } from '@nestjs/common';
import { launchEscSim } from './esc-sim';
import { SimConfig, SimConfigError, loadSimConfigFromEnv } from './config/sim-config';

async function main(): Promise<void> {
  let config: SimConfig;
  try {
    config = loadSimConfigFromEnv();
  } catch (error) {
    if (!(error instanceof SimConfigError)) throw error;
    console.error(`esc-sim: invalid configuration: ${error.message}`);
    process.exit(1);
  }
  const sim = await launchEscSim(config, { shutdownHooks: true });
  const auth = config.username ? 'on' : 'off';
  new Logger('EscSim').log(
    `ESC simulator listening on ${sim.url} (basic auth ${auth}, callback delay ${config.callbackDelayMs} ms)`,
  );
}

main().catch((error: unknown) => {
  console.error('esc-sim: failed to start', error);
  process.exit(1);
});
