import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '@cam-esc/config';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

/** Builds the worker (no HTTP server); used by main.ts and by the e2e tests. */
export async function createWorker(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}
