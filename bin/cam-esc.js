#!/usr/bin/env node
// cam-esc: from the checkout's sources when tsx is there (a development checkout), else from the build.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const sources = join(root, 'apps', 'cli', 'src', 'main.ts');
let hasTsx = false;
try {
  require.resolve('tsx/cjs', { paths: [root] });
  hasTsx = true;
} catch {
  hasTsx = false;
}
if (hasTsx && existsSync(sources)) {
  require(require.resolve('tsx/cjs', { paths: [root] }));
  require(sources);
} else {
  const built = join(root, 'dist', 'apps', 'cli', 'main.js');
  if (!existsSync(built)) {
    process.stderr.write('cam-esc: not built (npm run build) and tsx is not installed (npm ci)\n');
    process.exit(1);
  }
  require(built);
}
