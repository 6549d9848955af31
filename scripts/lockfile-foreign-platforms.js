#!/usr/bin/env node
/**
 * The npm registry these machines reach serves only the Linux builds of packages that ship one
 * native build per platform (unrs-resolver under Jest, msgpackr-extract under BullMQ). `npm
 * install` then leaves the other platforms' optional packages out of package-lock.json, and
 * `npm ci` refuses the lock as out of sync. This adds a lock entry for each such package (version,
 * os, cpu, libc, optional) so `npm ci` accepts the lock; npm never downloads them on a platform
 * they do not match. Run it after changing dependencies: `node scripts/lockfile-foreign-platforms.js`.
 */
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openharmony', 'win32'];
const CPU = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  if (!os || !cpu) return undefined;
  const platform = { os: [os], cpu: [cpu] };
  if (os === 'linux' && parts.some((p) => /^gnu/.test(p))) platform.libc = ['glibc'];
  if (os === 'linux' && parts.some((p) => /^musl/.test(p))) platform.libc = ['musl'];
  return platform;
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = packages[`${location}/node_modules/${dep}`] ? `${location}/node_modules/${dep}` : `node_modules/${dep}`;
    if (packages[key]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    packages[key] = { version, ...platform, ...(entry.dev ? { dev: true } : {}), license: entry.license, optional: true };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} foreign-platform optional package(s)`);
