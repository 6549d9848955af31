import { INestApplicationContext, Logger } from '@nestjs/common';

/**
 * SIGTERM and SIGINT: `drain` first (stop taking work and let what runs finish), then the app is
 * closed (database and queue connections last), then the process exits 0. Bounded: past
 * `timeoutMs` it exits 1, saying so. A second signal exits at once.
 */
export function closeGracefullyOnSignal(app: INestApplicationContext, what: string, timeoutMs: number, drain: () => Promise<void>): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    closing = true;
    logger.log(`${signal}: the ${what} stops taking work and finishes what it is doing (at most ${timeoutMs} ms)`);
    const deadline = setTimeout(() => {
      logger.error(`the ${what} did not finish within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS); exiting with work left (the others, or the next start, take it over)`);
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    void (async () => {
      try {
        await drain();
        await app.close();
        logger.log(`the ${what} stopped cleanly`);
        process.exit(0);
      } catch (e) {
        logger.error({ err: (e as Error).message }, `the ${what} did not close cleanly`);
        process.exit(1);
      }
    })();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
