import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Logger } from '@nestjs/common';
import { developmentKey, loadMasterKey, SecretsKeyError } from './master-key';

describe('the master key', () => {
  let dir: string;
  const logger = { warn: jest.fn(), log: jest.fn() } as unknown as Logger;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-key-'));
    jest.clearAllMocks();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is SECRETS_KEY when set', () => {
    const key = Buffer.alloc(32, 1);
    expect(loadMasterKey({ secretsKey: key, secretsKeyFile: join(dir, 'k'), production: true }, logger)).toBe(key);
  });

  it('must be set in production', () => {
    expect(() => loadMasterKey({ secretsKeyFile: join(dir, 'k'), production: true }, logger)).toThrow(SecretsKeyError);
    expect(() => loadMasterKey({ secretsKeyFile: join(dir, 'k'), production: true }, logger)).toThrow(/SECRETS_KEY must be set when NODE_ENV=production/);
  });

  it('in development is made once (mode 0600, in a new directory), warned about with its place, never with its value', () => {
    const file = join(dir, 'data', 'secrets.key');
    const first = loadMasterKey({ secretsKeyFile: file, production: false }, logger);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    const warning = (logger.warn as jest.Mock).mock.calls[0][0] as string;
    expect(warning).toContain(file);
    expect(warning).not.toContain(first.toString('base64'));
    const again = loadMasterKey({ secretsKeyFile: file, production: false }, logger);
    expect(again.equals(first)).toBe(true);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('base64'));
  });

  it('comes out the same for processes starting together', async () => {
    const file = join(dir, 'secrets.key');
    const code = `const { developmentKey } = require(${JSON.stringify(join(__dirname, 'master-key.ts'))}); const k = developmentKey(process.argv[1]); console.log(JSON.stringify({ key: k.key.toString('hex'), created: k.created }));`;
    const run = () => promisify(execFile)(process.execPath, ['--require', 'tsx/cjs', '-e', code, file], { cwd: join(__dirname, '../../..') });
    const keys = (await Promise.all(Array.from({ length: 4 }, run))).map((r) => JSON.parse(r.stdout) as { key: string; created: boolean });
    expect(keys.filter((k) => k.created)).toHaveLength(1);
    expect(new Set(keys.map((k) => k.key)).size).toBe(1);
    expect(readdirSync(dir)).toEqual(['secrets.key']);
  }, 30_000);

  it('refuses a key file that holds no key', () => {
    const file = join(dir, 'secrets.key');
    writeFileSync(file, 'garbage');
    expect(() => developmentKey(file)).toThrow(/is not a development master key/);
  });
});
