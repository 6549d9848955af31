import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// esc-sim is written from the ESC reference alone so it can catch the gateway's misreadings
// of ESC; sharing the gateway's code (libs/) would make it share them too.
describe('esc-sim independence', () => {
  it('imports nothing from libs/', () => {
    const offenders = sourceFiles(__dirname).filter((file) =>
      /from\s+['"](@cam-esc\/|(\.\.\/)+libs\/)|require\(['"](@cam-esc\/|(\.\.\/)+libs\/)/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => relative(__dirname, file))).toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && path !== __filename ? [path] : [];
  });
}
