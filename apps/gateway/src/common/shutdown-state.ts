import { NextFunction, Request, Response } from 'express';

/** Set when the gateway starts shutting down: what still arrives on an open connection is turned away. */
export const shutdown = { started: false };

/** A request that arrives during shutdown (an SSE client reconnecting on its keep-alive socket): 503, and the connection closed. */
export function refuseWhileShuttingDown(_req: Request, res: Response, next: NextFunction): void {
  if (!shutdown.started) return next();
  res.setHeader('Connection', 'close');
  res.setHeader('Retry-After', '1');
  res.status(503).json({ error: { statusCode: 503, name: 'SERVICE_UNAVAILABLE', code: 'UNAVAILABLE', message: 'this gateway is shutting down; send the request to another one, or again' } });
}
