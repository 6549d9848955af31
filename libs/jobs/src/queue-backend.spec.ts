import { redisConnectionOptions } from './queue-backend';
import { AppConfig } from '@cam-esc/config';
import { chooseQueueBackend } from './queue-backend';

describe('chooseQueueBackend', () => {
  const never = async () => {
    throw new Error('must not probe');
  };

  it('takes QUEUE_BACKEND as set, without probing', async () => {
    expect(await chooseQueueBackend(AppConfig.fromEnv({ QUEUE_BACKEND: 'postgres', REDIS_URL: 'redis://r:6379' }), never)).toEqual({ kind: 'postgres', reason: 'QUEUE_BACKEND=postgres' });
    expect((await chooseQueueBackend(AppConfig.fromEnv({ QUEUE_BACKEND: 'redis' }), never)).kind).toBe('redis');
  });

  it('is Redis when REDIS_URL is set, without probing', async () => {
    expect(await chooseQueueBackend(AppConfig.fromEnv({ REDIS_URL: 'redis://cache:6379' }), never)).toEqual({ kind: 'redis', reason: 'REDIS_URL is set' });
  });

  it('otherwise probes the default Redis address: Redis when it answers, PostgreSQL when not', async () => {
    const probed: string[] = [];
    const answers = (ok: boolean) => async (url: string) => (probed.push(url), ok);
    expect((await chooseQueueBackend(AppConfig.fromEnv({}), answers(true))).kind).toBe('redis');
    const pg = await chooseQueueBackend(AppConfig.fromEnv({}), answers(false));
    expect(pg).toEqual({ kind: 'postgres', reason: 'REDIS_URL is not set and no Redis answers on redis://127.0.0.1:6379' });
    expect(probed).toEqual(['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379']);
  });

  it('does not guess in production', async () => {
    await expect(chooseQueueBackend(AppConfig.fromEnv({ NODE_ENV: 'production' }), never)).rejects.toThrow('QUEUE_BACKEND must be set when NODE_ENV=production');
    expect((await chooseQueueBackend(AppConfig.fromEnv({ NODE_ENV: 'production', REDIS_URL: 'redis://r:6379' }), never)).kind).toBe('redis');
  });

  it('refuses an unknown QUEUE_BACKEND, naming the variable', () => {
    expect(() => AppConfig.fromEnv({ QUEUE_BACKEND: 'kafka' })).toThrow('QUEUE_BACKEND must be redis or postgres');
  });
});

describe('redisConnectionOptions', () => {
  it('reads a redis:// URL (credentials, database)', () => {
    expect(redisConnectionOptions('redis://user:p%40ss@redis.example:6380/2')).toMatchObject({ host: 'redis.example', port: 6380, username: 'user', password: 'p@ss', db: 2 });
  });

  it('reads Redis behind Sentinel: redis+sentinel://host:port,host:port/<master name>[/db]', () => {
    expect(redisConnectionOptions('redis+sentinel://:s3cret@s1.example:26379,s2.example/mymaster/1')).toMatchObject({
      sentinels: [
        { host: 's1.example', port: 26379 },
        { host: 's2.example', port: 26379 },
      ],
      name: 'mymaster',
      password: 's3cret',
      db: 1,
    });
  });
});
