import { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { AppConfig } from '@cam-esc/config';
import { QueueBackend, QueueName } from '@cam-esc/jobs';
import { Queue } from 'bullmq';
import { NextFunction, Request, Response } from 'express';
import { apiTokenOf } from '../auth/bearer-auth.guard';

export const QUEUE_BOARD_PATH = '/queues';

/**
 * Bull Board at /queues: the queues' jobs, by state, read-only (a job is retried or removed by the
 * gateway's own rules, not by hand). Behind the API's tokens: `Authorization: Bearer <token>`, or
 * HTTP Basic with the token as the password (what a browser can send). Redis backend only.
 */
export function mountQueueBoard(app: INestApplication, config: AppConfig): void {
  const backend = app.get(QueueBackend);
  if (backend.kind !== 'redis') {
    app.use(QUEUE_BOARD_PATH, (_req: Request, res: Response) => {
      res.status(404).json({ error: { statusCode: 404, name: 'NOT_FOUND', code: 'NOT_FOUND', message: 'the queue dashboard needs the Redis queue backend; this gateway runs on postgres (see /metrics for queue depths)' } });
    });
    return;
  }
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  const queues = [QueueName.Flow, QueueName.EscCallbacks, QueueName.Catalog].map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)), { readOnlyMode: true }));
  createBullBoard({ queues, serverAdapter, options: { uiConfig: { boardTitle: 'cam-esc-gateway queues' } } });
  app.use(QUEUE_BOARD_PATH, requireToken(config), serverAdapter.getRouter());
}

function requireToken(config: AppConfig) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    const basic = /^Basic\s+(\S+)\s*$/i.exec(header)?.[1];
    const token = bearer ?? (basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':') : undefined);
    // every tenant's jobs: an admin's API token only
    if (token && apiTokenOf(config, token)?.role === 'admin') return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="cam-esc-gateway queues", charset="UTF-8"');
    res.status(401).json({ error: { statusCode: 401, name: 'UNAUTHORIZED', code: 'UNAUTHENTICATED', message: 'Authorization: Bearer <token> (or Basic with the token as the password) is required' } });
  };
}
