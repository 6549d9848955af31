/**
 * A require hook that runs the project's TypeScript in a child process as the build would compile
 * it (CommonJS, decorator metadata, the @cam-esc/* paths), for e2e tests that need an app in a
 * process of its own (a second gateway replica). tsx cannot: esbuild emits no decorator metadata.
 */
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const ts = require('typescript');

const root = join(__dirname, '..', '..');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
const paths = Object.fromEntries(Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, join(root, target)]));
const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, emitDecoratorMetadata: true, experimentalDecorators: true, esModuleInterop: true, sourceMap: false, inlineSourceMap: true };

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, paths[request] ?? request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions: options, fileName: filename });
  module._compile(outputText, filename);
};
