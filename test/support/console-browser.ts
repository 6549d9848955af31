import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { Browser, chromium, Page } from 'playwright-core';

/** Where the console's browser tests put their screenshots. */
export const SHOTS = join(__dirname, '..', '..', 'test-output', 'console');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Builds the console as this checkout's sources are, and starts headless Chromium (the Debian package: nothing downloads a browser). */
export async function consoleBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`the console tests need Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`);
  execFileSync('npm', ['run', 'build:console'], { cwd: join(__dirname, '..', '..'), stdio: 'pipe' });
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export const screenshot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** axe-core's WCAG 2.1 A/AA rules on the page as it stands: none may fail. */
export async function expectAccessible(p: Page, where: string): Promise<void> {
  // (these functions run in the page: globalThis is its window). The console's CSP refuses inline
  // scripts, so axe comes in through the browser's debugger protocol, which CSP does not govern
  if (!(await p.evaluate(() => 'axe' in globalThis))) await p.evaluate(axe.source);
  const violations = await p.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: typeof axe }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect({ where, violations }).toEqual({ where, violations: [] });
}
