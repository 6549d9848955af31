#!/usr/bin/env node
// `prisma generate` without network: Prisma's CLI wants to download its native schema engine,
// which generate does not use. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any executable (node
// itself here) stops the download. See the README, "Migrations".
const { spawnSync } = require('node:child_process');

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
