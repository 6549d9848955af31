import { AppConfig } from '../../libs/config/src';
import { chooseDatabase, PostgresProbe, withoutCredentials } from './services';

describe('chooseDatabase (npm start)', () => {
  const probe = (answer: PostgresProbe) => {
    const seen: string[] = [];
    const fn = async (url: string) => (seen.push(url), answer);
    return Object.assign(fn, { seen });
  };

  it('uses the server of DATABASE_URL, which must answer', async () => {
    const config = AppConfig.fromEnv({ DATABASE_URL: 'postgresql://app:pw@db.example:6543/gw' });
    expect(await chooseDatabase(config, false, probe({ state: 'ok' }))).toEqual({ mode: 'external', reason: 'DATABASE_URL is set' });
    await expect(chooseDatabase(config, false, probe({ state: 'absent', detail: 'connect ECONNREFUSED' }))).rejects.toThrow(
      /PostgreSQL is not reachable at db\.example:6543 \(connect ECONNREFUSED\)/,
    );
  });

  it('without DATABASE_URL: the server on the default address when one answers there', async () => {
    const p = probe({ state: 'ok' });
    expect(await chooseDatabase(AppConfig.fromEnv({}), false, p)).toEqual({ mode: 'external', reason: 'PostgreSQL answers on 127.0.0.1:5432' });
    expect(p.seen).toEqual(['postgresql://postgres@127.0.0.1:5432/cam_esc_gateway']);
  });

  it('without DATABASE_URL and nothing listening there: the embedded PostgreSQL', async () => {
    expect(await chooseDatabase(AppConfig.fromEnv({}), false, probe({ state: 'absent', detail: 'connect ECONNREFUSED 127.0.0.1:5432' }))).toEqual({
      mode: 'embedded',
      reason: 'DATABASE_URL is not set and nothing answers on 127.0.0.1:5432',
    });
  });

  it('does not hide a server that answers but refuses us (it would look like data loss): it says why', async () => {
    await expect(chooseDatabase(AppConfig.fromEnv({}), false, probe({ state: 'error', detail: 'password authentication failed for user "postgres"' }))).rejects.toThrow(
      'password authentication failed',
    );
  });

  it('--embedded-postgres: embedded without probing, and not together with DATABASE_URL', async () => {
    const p = probe({ state: 'ok' });
    expect(await chooseDatabase(AppConfig.fromEnv({}), true, p)).toEqual({ mode: 'embedded', reason: '--embedded-postgres' });
    expect(p.seen).toEqual([]);
    await expect(chooseDatabase(AppConfig.fromEnv({ DATABASE_URL: 'postgresql://x@h/db' }), true, p)).rejects.toThrow('--embedded-postgres and DATABASE_URL');
  });

  it('masks passwords, not user names, in what it prints', () => {
    expect(withoutCredentials('postgresql://postgres:secret@127.0.0.1:54329/db')).toBe('postgresql://postgres:***@127.0.0.1:54329/db');
    expect(withoutCredentials('postgresql://postgres@127.0.0.1:5432/db')).toBe('postgresql://postgres@127.0.0.1:5432/db');
    expect(withoutCredentials('redis://:pw@cache:6379')).toBe('redis://:***@cache:6379');
  });
});
