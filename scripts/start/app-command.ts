import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type AppName = 'gateway' | 'worker' | 'esc-sim';

/**
 * How an app is run: its `npm run start:<app>` script (heap settings included), read from
 * package.json so that npm start and the bench run exactly what an operator runs.
 */
export function appCommand(app: AppName): string {
  const scripts = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const command = scripts[`start:${app}`];
  if (!command?.startsWith('node ')) throw new Error(`package.json has no 'start:${app}' script that runs node`);
  return command;
}

/** The node arguments of appCommand (everything after `node`). */
export function appNodeArgs(app: AppName): string[] {
  return appCommand(app).split(/\s+/).slice(1);
}
