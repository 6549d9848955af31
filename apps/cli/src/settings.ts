import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, ExitCode } from './exit-codes';

/** Where the gateway is and who the CLI is to it. */
export interface Settings {
  url: string;
  token: string;
}

/** The user's config file: $XDG_CONFIG_HOME/cam-esc/config.json (~/.config/… by default; %APPDATA%\\cam-esc on Windows). */
export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CAM_ESC_CONFIG) return env.CAM_ESC_CONFIG;
  const base = process.platform === 'win32' ? (env.APPDATA ?? join(homedir(), 'AppData', 'Roaming')) : (env.XDG_CONFIG_HOME || join(homedir(), '.config'));
  return join(base, 'cam-esc', 'config.json');
}

function readConfig(path: string): Partial<Settings> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as Partial<Settings>;
    return { url: typeof parsed.url === 'string' ? parsed.url : undefined, token: typeof parsed.token === 'string' ? parsed.token : undefined };
  } catch (e) {
    throw new CliError(ExitCode.Usage, `${path}: is not JSON (${(e as Error).message})`);
  }
}

/** Flags first, then CAM_ESC_URL and CAM_ESC_TOKEN, then the config file; the URL defaults to a local gateway. */
export function resolveSettings(flags: { url?: string; token?: string }, env: NodeJS.ProcessEnv = process.env): Settings {
  const file = readConfig(configFile(env));
  // an empty variable is no variable
  const url = (flags.url || env.CAM_ESC_URL || file.url || 'http://127.0.0.1:3000').replace(/\/+$/, '');
  const token = flags.token || env.CAM_ESC_TOKEN || file.token;
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new CliError(ExitCode.Usage, `--url: '${url}' is not an http(s) URL`);
  if (!token) throw new CliError(ExitCode.Auth, `no token: give --token, set CAM_ESC_TOKEN, or put {"url", "token"} in ${configFile(env)}`);
  return { url, token };
}
