import { describe, expect, it } from 'vitest';
import { testSandbox } from '../test-support';
import { SlidingWindowLimiter } from '.';

describe('SlidingWindowLimiter', () => {
  it('accepts `limit` requests in any sliding second and says when to retry', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(
      () => 60,
      1000,
      () => now,
    );
    for (let i = 0; i < 60; i++) {
      expect(limiter.take('k').ok).toBe(true);
      now += 10;
    }
    // 600 ms in: the window is full.
    expect(limiter.take('k')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('other').ok).toBe(true);
    now = 1001; // the first request has left the window
    expect(limiter.take('k').ok).toBe(true);
    expect(limiter.take('k').ok).toBe(false);
    const [, stats] = limiter.stats().find(([key]) => key === 'k') ?? [];
    expect(stats).toMatchObject({ accepted: 61, rejected: 2, maxAcceptedPerSecond: 60 });
    expect(stats?.maxAttemptedPerSecond).toBe(62);
  });

  it('is off when the limit is 0', () => {
    const limiter = new SlidingWindowLimiter(
      () => 0,
      1000,
      () => 0,
    );
    for (let i = 0; i < 500; i++) expect(limiter.take('k').ok).toBe(true);
  });
});

describe('API throttling', () => {
  it('answers 429 with Retry-After and an RFC 7807 title ending "Try again in N seconds."', async () => {
    let now = 0;
    const sb = testSandbox({ settings: { rateLimitPerSecond: 60 }, monotonicNow: () => now });
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 65; i++) {
      const res = await sb.api('categories');
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(60);
    expect(limited?.headers.get('retry-after')).toBe('1');
    const body = (await limited?.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 429, errors: {}, data: {} });
    expect(String(body.title)).toMatch(/Try again in 1 seconds\.$/);
    now += 1000;
    expect((await sb.api('categories')).status).toBe(200);

    const stats = sb.state.stats.snapshot(sb.state.limiter.stats());
    expect(stats.rateLimited).toBe(5);
    expect(stats.rateLimit).toEqual([
      expect.objectContaining({
        appKey: 'ak1.sandbox',
        tenantId: '1000001',
        maxAcceptedPerSecond: 60,
        maxAttemptedPerSecond: 65,
      }),
    ]);
  });

  it('keys the limit by (app key, tenant)', async () => {
    const now = 0;
    const sb = testSandbox({ settings: { rateLimitPerSecond: 2 }, monotonicNow: () => now });
    await sb.app.request('/_sandbox/tenants', {
      method: 'POST',
      body: JSON.stringify({ tenantId: '7', clientId: 'cid.7', clientSecret: 'cs1.7' }),
      headers: { 'content-type': 'application/json' },
    });
    const other = await sb.token('cid.7', 'cs1.7');
    expect((await sb.api('categories')).status).toBe(200);
    expect((await sb.api('categories')).status).toBe(200);
    expect((await sb.api('categories')).status).toBe(429);
    expect((await sb.api('categories', { tenantId: '7', token: other })).status).toBe(200);
  });
});
