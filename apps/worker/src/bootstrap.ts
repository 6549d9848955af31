import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '@cam-esc/config';
import { Logger } from 'nestjs-pino';
import { WorkerHost } from '@nestjs/bullmq';
import { CatalogProcessor } from './processors/catalog.processor';
import { EscCallbackProcessor } from './processors/esc-callback.processor';
import { FlowProcessor } from './processors/flow.processor';
import { WorkerModule } from './worker.module';

/** Builds the worker (no HTTP server); used by main.ts and by the e2e tests. */
export async function createWorker(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  return app;
}

/** Stops taking jobs and waits for the ones running to finish (BullMQ's Worker.close), before anything else closes. */
export async function drainWorkers(app: INestApplicationContext): Promise<void> {
  await Promise.all([FlowProcessor, EscCallbackProcessor, CatalogProcessor].map((p) => app.get<WorkerHost>(p).worker.close()));
}
