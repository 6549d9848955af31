import { Logger } from '@nestjs/common';
import { AppConfig, InvalidEnvironmentError, parseSecretsKey } from '@cam-esc/config';
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class SecretsKeyError extends InvalidEnvironmentError {}

/**
 * The master key: SECRETS_KEY; unset, a refusal in production, and in development the key of
 * the development key file (made on first use).
 */
export function loadMasterKey(config: Pick<AppConfig, 'secretsKey' | 'secretsKeyFile' | 'production'>, logger = new Logger('Secrets')): Buffer {
  if (config.secretsKey) return config.secretsKey;
  if (config.production) {
    throw new SecretsKeyError(
      'SECRETS_KEY must be set when NODE_ENV=production: 32 random bytes as base64 or 64 hex characters (e.g. `openssl rand -base64 32`). ' +
        'It wraps the keys of the secrets stored in the database (ESC connection passwords, secured shared parameters); keep it, a lost key makes them unreadable',
    );
  }
  const { key, created } = developmentKey(config.secretsKeyFile);
  if (created) {
    logger.warn(`SECRETS_KEY is not set: generated a development master key in ${config.secretsKeyFile} (mode 0600). Secrets stored at rest are sealed with it; set SECRETS_KEY in production`);
  } else {
    logger.log(`SECRETS_KEY is not set: using the development master key in ${config.secretsKeyFile}`);
  }
  return key;
}

/**
 * Reads the key file, or makes it. The file appears complete or not at all (written aside,
 * then hard-linked into place, which fails when it exists), so a gateway and a worker starting
 * together end up with the one key whichever wins.
 */
export function developmentKey(file: string): { key: Buffer; created: boolean } {
  const existing = readKeyFile(file);
  if (existing) return { key: existing, created: false };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(aside, `${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(aside, file);
    return { key, created: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const winner = readKeyFile(file);
    if (!winner) throw new SecretsKeyError(`${file} holds no key`);
    return { key: winner, created: false };
  } finally {
    unlinkSync(aside);
  }
}

function readKeyFile(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const key = parseSecretsKey(text);
  if (!key) throw new SecretsKeyError(`${file} is not a development master key (32 bytes, base64): set SECRETS_KEY, or remove the file (what was sealed with it can then not be read)`);
  return key;
}
