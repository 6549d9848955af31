import { AppConfig } from '@cam-esc/config';
import { rateLimitKey, rateLimitThrottlers, RateLimitName } from './rate-limits';

describe('rate limits', () => {
  it('reads its limits from the environment, with defaults, and refuses what is not a count', () => {
    expect(AppConfig.fromEnv({}).rateLimits).toEqual({ windowMs: 60_000, perToken: 30_000, perTenant: 60_000, callbacksPerSource: 120_000 });
    expect(AppConfig.fromEnv({ RATE_LIMIT_WINDOW_SECONDS: '10', RATE_LIMIT_PER_TOKEN: '0' }).rateLimits).toMatchObject({ windowMs: 10_000, perToken: 0 });
    expect(() => AppConfig.fromEnv({ RATE_LIMIT_PER_TENANT: '-1' })).toThrow(/RATE_LIMIT_PER_TENANT must be between 0 and 100000000/);
    expect(() => AppConfig.fromEnv({ RATE_LIMIT_CALLBACKS: 'many' })).toThrow(/RATE_LIMIT_CALLBACKS must be an integer/);
  });

  it('has a throttler for each limit that is not 0', () => {
    const limits = { windowMs: 60_000, perToken: 5, perTenant: 0, callbacksPerSource: 7 };
    expect(rateLimitThrottlers(limits).map((t) => [t.name, t.limit, t.ttl])).toEqual([
      [RateLimitName.Token, 5, 60_000],
      [RateLimitName.Callbacks, 7, 60_000],
    ]);
    expect(rateLimitThrottlers({ ...limits, perToken: 0, callbacksPerSource: 0 })).toEqual([]);
  });

  it('keys a counter by limit and caller only, never with the caller\'s own words', () => {
    const key = rateLimitKey('{cam-esc}', 'tenant-a', 'tenant');
    expect(key).toMatch(/^\{cam-esc\}:rate:tenant:[0-9a-f]{32}$/);
    expect(key).not.toContain('tenant-a');
    expect(rateLimitKey('{cam-esc}', 'tenant-a', 'tenant')).toBe(key);
    expect(rateLimitKey('{cam-esc}', 'tenant-b', 'tenant')).not.toBe(key);
  });
});
