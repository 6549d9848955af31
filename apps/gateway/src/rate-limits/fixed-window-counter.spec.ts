import { FixedWindowCounter } from './fixed-window-counter';

describe('FixedWindowCounter', () => {
  const counter = new FixedWindowCounter();
  afterAll(() => counter.close());

  it('counts per key and limit, blocks past the limit until the block ends, then counts afresh', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      for (let i = 1; i <= 3; i++) expect(await counter.increment('k', 10_000, 3, 10_000, 'token')).toMatchObject({ totalHits: i, isBlocked: false, timeToExpire: 10 });
      expect(await counter.increment('k', 10_000, 3, 10_000, 'token')).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 10 });
      // another limit, another key: their own counts
      expect(await counter.increment('k', 10_000, 3, 10_000, 'tenant')).toMatchObject({ totalHits: 1, isBlocked: false });
      expect(await counter.increment('other', 10_000, 3, 10_000, 'token')).toMatchObject({ totalHits: 1, isBlocked: false });
      jest.setSystemTime(1_000_000 + 4_000);
      expect(await counter.increment('k', 10_000, 3, 10_000, 'token')).toMatchObject({ isBlocked: true, timeToBlockExpire: 6 });
      jest.setSystemTime(1_000_000 + 10_001);
      expect(await counter.increment('k', 10_000, 3, 10_000, 'token')).toMatchObject({ totalHits: 1, isBlocked: false });
    } finally {
      jest.useRealTimers();
    }
  });
});
