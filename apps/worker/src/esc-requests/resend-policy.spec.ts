import { retryAfterMs } from '@cam-esc/esc';
import { backoffMs, isTransient, mayHaveApplied } from './resend-policy';
import { nextInternalId } from './fresh-internal-id';

describe('sending a request ESC could not take again', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };

  it('waits a random time up to a ceiling that doubles from the base and stops at the cap (full jitter)', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, policy, undefined, () => 0.999))).toEqual([999, 1998, 3996, 7992]);
    expect(backoffMs(20, policy, undefined, () => 0.999)).toBe(59_940);
    expect(backoffMs(3, policy, undefined, () => 0)).toBe(0);
  });

  it("never waits less than ESC's Retry-After, even past the backoff's cap (up to 15 minutes)", () => {
    expect(backoffMs(1, policy, 5000, () => 0)).toBe(5000);
    expect(backoffMs(1, { baseMs: 50, maxMs: 400 }, 1000, () => 0)).toBe(1000);
    expect(backoffMs(1, policy, 60 * 60_000, () => 0)).toBe(15 * 60_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2026, 0, 1))).toBe(30_000);
    expect([retryAfterMs(undefined), retryAfterMs('soon'), retryAfterMs('')]).toEqual([undefined, undefined, undefined]);
  });

  it('takes 5xx, 429 and 408 as "not now", other answers as ESC\'s word', () => {
    expect([500, 502, 503, 504, 429, 408].every(isTransient)).toBe(true);
    expect([200, 400, 404, 409, 422].some(isTransient)).toBe(false);
  });

  it('takes a 500, 502 or 504 as "may have been applied" (ESC is asked first), a 503, 429 or 408 as "not taken"', () => {
    expect([500, 502, 504].every(mayHaveApplied)).toBe(true);
    expect([503, 429, 408].some(mayHaveApplied)).toBe(false);
  });

  it('gives a create sent again after an attempt ESC may have seen a new internal id, within ESC\'s 72 characters', () => {
    const id = 'ceg-0b7f6c7e-7a39-4a1e-9d6a-3f1c2b4d5e6f';
    expect(nextInternalId(id, 2)).toBe(`${id}.r2`);
    expect(nextInternalId(`${id}.r2`, 5)).toBe(`${id}.r5`);
    // never backwards, nor the same again: a sender that died after sending .r3 left the attempt count at 2
    expect(nextInternalId(`${id}.r3`, 2)).toBe(`${id}.r4`);
    expect(() => nextInternalId('x'.repeat(70), 2)).toThrow(/no room/);
  });
});
