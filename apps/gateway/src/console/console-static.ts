import { INestApplication, Logger } from '@nestjs/common';
import express, { Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const CONSOLE_PATH = '/console';

/** Where `npm run build` put the console (dist/console): beside the bundled gateway, or under the working directory. */
export function consoleDirectory(): string | undefined {
  const candidates = [require.main?.filename ? resolve(dirname(require.main.filename), '..', '..', 'console') : undefined, resolve('dist', 'console')];
  return candidates.find((dir): dir is string => !!dir && existsSync(join(dir, 'index.html')));
}

/**
 * The operator console at /console: static files (hashed assets cached for a year), and its
 * index.html for every other path under it (the console routes in the browser). The page holds
 * no data: everything it shows comes from the API with the token the user logs in with.
 */
export function mountConsole(app: INestApplication): void {
  const dir = consoleDirectory();
  if (!dir) {
    new Logger('Console').warn('the operator console is not built (npm run build): /console answers 404');
    app.use(CONSOLE_PATH, (_req: Request, res: Response) => notFound(res, 'the operator console is not built: run npm run build'));
    return;
  }
  app.use(`${CONSOLE_PATH}/assets`, express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  app.use(CONSOLE_PATH, (req: Request, res: Response, next: () => void) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // a file the build does not have (…/nope.js) is a 404, not the page: only the console's own paths are
    if (/\.[A-Za-z0-9]+$/.test(req.path)) return notFound(res, `no such file of the console: ${req.path.slice(0, 200)}`);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
}

/** CAM's error shape, as the API's filter answers (these routes are Express's, outside Nest's filter). */
function notFound(res: Response, message: string): void {
  res.status(404).json({ error: { statusCode: 404, name: 'NOT_FOUND', code: 'NOT_FOUND', message } });
}
