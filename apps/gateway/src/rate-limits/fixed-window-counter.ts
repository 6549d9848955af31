import { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** How often windows that ended are dropped. */
const SWEEP_MS = 60_000;

/**
 * Calls counted in this process, per key and limit, in fixed windows: the same rule as the Redis
 * storage's script (a count with a time to live; over the limit, blocked for blockDuration). The
 * throttler's own in-memory storage keeps a timestamp per call and filters them on every call,
 * which costs as much as the limit is high; this costs the same at any limit.
 */
export class FixedWindowCounter implements ThrottlerStorage {
  private readonly windows = new Map<string, { hits: number; endsAt: number; blockedUntil: number }>();
  private readonly sweep = setInterval(() => this.dropEnded(), SWEEP_MS).unref();

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerRecord> {
    const now = Date.now();
    const id = `${key}:${throttlerName}`;
    let w = this.windows.get(id);
    if (!w || (w.endsAt <= now && w.blockedUntil <= now)) {
      w = { hits: 0, endsAt: now + ttl, blockedUntil: 0 };
      this.windows.set(id, w);
    }
    w.hits += 1;
    if (w.blockedUntil <= now && w.hits > limit) w.blockedUntil = now + blockDuration;
    const blocked = w.blockedUntil > now;
    return { totalHits: w.hits, timeToExpire: Math.ceil((w.endsAt - now) / 1000), isBlocked: blocked, timeToBlockExpire: blocked ? Math.ceil((w.blockedUntil - now) / 1000) : 0 };
  }

  private dropEnded(): void {
    const now = Date.now();
    for (const [id, w] of this.windows) if (w.endsAt <= now && w.blockedUntil <= now) this.windows.delete(id);
  }

  close(): void {
    clearInterval(this.sweep);
    this.windows.clear();
  }
}
