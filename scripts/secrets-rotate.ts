/**
 * `npm run secrets:rotate`: seals every secret at rest anew under SECRETS_KEY (ESC connection
 * passwords, secured shared-parameter values, actions' secured values, ESC request bodies and
 * headers that hold them). Run with the new key in SECRETS_KEY and the old one(s) in
 * SECRETS_KEY_PREVIOUS, while gateways and workers run with the same two: each row is changed in
 * one conditional update, so nothing stops meanwhile. Then drop SECRETS_KEY_PREVIOUS. Run it
 * again at any time: it leaves what is sealed under SECRETS_KEY alone.
 */
import { Client } from 'pg';
import { AppConfig, InvalidEnvironmentError } from '../libs/config/src';
// relative imports: compiled without the path aliases, as db-migrate is, for the image (dist/migrate)
import { SecretBox } from '../libs/secrets/src/secret-box';

const PAGE = 500;

/** Text columns that hold one sealed secret each. */
const SEALED_COLUMNS = [
  { table: 'esc_connection', column: 'password_sealed' },
  { table: 'action_instance', column: 'secrets_sealed' },
  { table: 'esc_request', column: 'body_sealed' },
  { table: 'esc_request', column: 'headers_sealed' },
  { table: 'esc_request', column: 'path_sealed' },
] as const;

export interface RotationResult {
  resealed: Record<string, number>;
  /** Secrets no key given can open (sealed under a key neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS holds). */
  unreadable: Record<string, number>;
}

export async function rotateSecrets(config: AppConfig, log: (line: string) => void): Promise<RotationResult> {
  if (!config.secretsKey) throw new InvalidEnvironmentError('secrets:rotate needs the new master key in SECRETS_KEY (and the old one in SECRETS_KEY_PREVIOUS)');
  const box = new SecretBox(config.secretsKey, config.previousSecretsKeys);
  const db = new Client({ connectionString: config.databaseUrl });
  await db.connect();
  const result: RotationResult = { resealed: {}, unreadable: {} };
  const reseal = (where: string, sealed: string): string | undefined => {
    try {
      return box.reseal(sealed);
    } catch {
      result.unreadable[where] = (result.unreadable[where] ?? 0) + 1;
      return undefined;
    }
  };
  const count = (where: string) => (result.resealed[where] = (result.resealed[where] ?? 0) + 1);
  try {
    for (const { table, column } of SEALED_COLUMNS) {
      const where = `${table}.${column}`;
      for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
        const { rows } = await db.query<{ id: string; sealed: string }>(
          `SELECT id::text, ${column} AS sealed FROM ${table} WHERE ${column} IS NOT NULL AND ${column} NOT LIKE $1 AND id > $2::uuid ORDER BY id LIMIT ${PAGE}`,
          [`v1.${box.keyId}.%`, after],
        );
        for (const row of rows) {
          const fresh = reseal(where, row.sealed);
          // conditional: a row changed meanwhile (sealed anew by a process) is left as it now is
          if (fresh && (await db.query(`UPDATE ${table} SET ${column} = $1 WHERE id = $2::uuid AND ${column} = $3`, [fresh, row.id, row.sealed])).rowCount) count(where);
        }
        if (rows.length < PAGE) break;
        after = rows[rows.length - 1].id;
      }
      log(`${where}: ${result.resealed[where] ?? 0} sealed anew${result.unreadable[where] ? `, ${result.unreadable[where]} unreadable` : ''}`);
    }
    const where = 'shared_parameter.values';
    const { rows } = await db.query<{ id: string; values: Record<string, unknown>; secured_keys: string[] }>(`SELECT id::text, values, secured_keys FROM shared_parameter WHERE cardinality(secured_keys) > 0`);
    for (const row of rows) {
      const values = { ...row.values };
      let changed = false;
      for (const key of row.secured_keys) {
        const sealed = values[key];
        if (typeof sealed !== 'string' || box.sealedWithCurrentKey(sealed)) continue;
        const fresh = reseal(where, sealed);
        if (fresh) (values[key] = fresh), (changed = true);
      }
      if (changed && (await db.query(`UPDATE shared_parameter SET values = $1::jsonb WHERE id = $2::uuid AND values = $3::jsonb`, [JSON.stringify(values), row.id, JSON.stringify(row.values)])).rowCount) count(where);
    }
    log(`${where}: ${result.resealed[where] ?? 0} sealed anew${result.unreadable[where] ? `, ${result.unreadable[where]} unreadable` : ''}`);
  } finally {
    await db.end();
  }
  return result;
}

if (require.main === module) {
  (async () => {
    const result = await rotateSecrets(AppConfig.fromEnv(), (line) => console.log(line));
    const unreadable = Object.values(result.unreadable).reduce((a, b) => a + b, 0);
    if (unreadable) {
      console.error(`${unreadable} secret(s) are sealed under a key neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS holds: add that key to SECRETS_KEY_PREVIOUS and run again`);
      process.exit(1);
    }
    console.log('every secret at rest is sealed under SECRETS_KEY: SECRETS_KEY_PREVIOUS may be dropped');
  })().catch((e) => {
    console.error(e instanceof InvalidEnvironmentError ? e.message : `secrets:rotate failed: ${(e as Error).message}`);
    process.exit(1);
  });
}
