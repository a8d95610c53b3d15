import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SlidingWindowLimiter, tenantRateLimiter } from './rate-limit';

/** The most grants found in any span of `spanMs` (half-open: [t, t + span)). */
function maxInAnySpan(times: number[], spanMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= spanMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

describe('SlidingWindowLimiter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const make = (limit = 60, marginMs = 100) =>
    new SlidingWindowLimiter({ limit, windowMs: 1000, marginMs, now: () => Date.now() });

  it('never grants more than the limit in any window, even for a burst', async () => {
    const limiter = make();
    const granted: number[] = [];
    const all = Array.from({ length: 250 }, () => limiter.acquire().then(() => granted.push(Date.now())));
    await vi.runAllTimersAsync();
    await Promise.all(all);
    expect(granted).toHaveLength(250);
    expect(maxInAnySpan(granted, 1100)).toBeLessThanOrEqual(60);
    // It is not starving either: the first 60 go at once.
    expect(granted.filter((t) => t === granted[0])).toHaveLength(60);
  });

  it('holds the limit for arrivals at random moments', async () => {
    const limiter = make(5, 0);
    const granted: number[] = [];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      await vi.advanceTimersByTimeAsync(Math.floor(random() * 120));
      all.push(limiter.acquire().then(() => granted.push(Date.now())));
    }
    await vi.runAllTimersAsync();
    await Promise.all(all);
    expect(granted).toHaveLength(200);
    expect(maxInAnySpan(granted, 1000)).toBeLessThanOrEqual(5);
  });

  it('serves waiters in arrival order', async () => {
    const limiter = make(2, 0);
    const order: number[] = [];
    const all = [0, 1, 2, 3, 4, 5].map((i) => limiter.acquire().then(() => order.push(i)));
    await vi.runAllTimersAsync();
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('drops an aborted waiter without using its slot', async () => {
    const limiter = make(1, 0);
    await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    controller.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    expect(limiter.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(1001);
    await expect(next).resolves.toBeUndefined();
  });

  it('pauses every grant for the requested time', async () => {
    const limiter = make(60, 0);
    const start = Date.now();
    limiter.pauseFor(2000);
    let grantedAt = 0;
    const pending = limiter.acquire().then(() => {
      grantedAt = Date.now();
    });
    await vi.runAllTimersAsync();
    await pending;
    expect(grantedAt - start).toBeGreaterThanOrEqual(2000);
  });
});

describe('tenantRateLimiter', () => {
  it('returns one limiter per tenant for the whole process', () => {
    const a = tenantRateLimiter('test-tenant-a');
    expect(tenantRateLimiter('test-tenant-a')).toBe(a);
    expect(tenantRateLimiter('test-tenant-b')).not.toBe(a);
  });
});
