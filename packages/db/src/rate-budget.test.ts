import { setTimeout as sleep } from 'node:timers/promises';
import {
  SharedRateLimiter,
  type SharedRateLimiterOptions,
  SlidingWindowLimiter,
  StClient,
} from '@pricebook/st-client';
import { freePort, startSandbox } from '@pricebook/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createOrm, type Orm } from './orm';
import { pgRateBudgetStore } from './rate-budget';
import { databaseForFile } from './test-support';

// Each limiter has its own pool and its own in-process backstop, as two processes would: the
// only thing they share is the database.
const t = databaseForFile();
const orms: Orm[] = [];
// Runs before the database is dropped: after-hooks run in the reverse order of their registration.
afterAll(async () => {
  await Promise.all(orms.map((orm) => orm.close()));
});

let nextTenant = 9100;
const tenant = () => String(nextTenant++);
const rate = { limit: 8, windowMs: 200, marginMs: 100 };

async function processLike(url: string, options: Partial<SharedRateLimiterOptions> & { tenantId: string }) {
  const orm = await createOrm(url, { poolMax: 2 });
  orms.push(orm);
  return new SharedRateLimiter({
    store: pgRateBudgetStore(orm),
    appKey: 'ak1.shared-budget-test',
    rate,
    useWithinMs: 50,
    maxBatch: 4,
    // A backstop that never binds, so every bit of pacing seen comes from the shared budget.
    insurance: new SlidingWindowLimiter({ limit: 10_000, windowMs: 1000, marginMs: 0 }),
    ...options,
  });
}

/** Resolves `n` acquisitions at once and returns when each was granted. */
async function grantTimes(limiter: SharedRateLimiter, n: number): Promise<number[]> {
  return Promise.all(Array.from({ length: n }, () => limiter.acquire().then(() => performance.now())));
}

/** The most grants inside any window of `ms`. */
function busiestWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[j] ?? Number.POSITIVE_INFINITY) <= (sorted[i] ?? 0) - ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

async function pausePassed(key: string): Promise<boolean> {
  const [row] = await t.sql<{ passed: boolean }>(
    'select clock_timestamp() >= paused_until as passed from pricebook_st_rate_budget where budget_key = ?',
    [key],
  );
  return row?.passed === true;
}

describe('the shared ServiceTitan rate budget in PostgreSQL', () => {
  it('two limiters sharing the store never grant more than the limit in any window', async () => {
    const tenantId = tenant();
    const [a, b] = [await processLike(t.db.url, { tenantId }), await processLike(t.db.url, { tenantId })];
    const [timesA, timesB] = await Promise.all([grantTimes(a, 40), grantTimes(b, 40)]);

    expect(busiestWindow([...timesA, ...timesB], rate.windowMs)).toBeLessThanOrEqual(rate.limit);
    for (const limiter of [a, b]) {
      expect(limiter.stats()).toMatchObject({ sharedGrants: 40, localGrants: 0, storeFailures: 0 });
    }
  });

  it('reserves slots for every waiting caller in one round trip', async () => {
    const limiter = await processLike(t.db.url, {
      tenantId: tenant(),
      maxBatch: 10,
      rate: { ...rate, limit: 60 },
    });
    await grantTimes(limiter, 10);
    // The first caller's round trip is already out when the other nine arrive; they share the next.
    expect(limiter.stats()).toMatchObject({ sharedGrants: 10, reservations: 2 });
  });

  it('a store slower than the slots are usable still grants them, held for the round trip too', async () => {
    const orm = await createOrm(t.db.url, { poolMax: 2 });
    orms.push(orm);
    const store = pgRateBudgetStore(orm);
    // The answer takes 60 ms to come back: longer than a slot is usable after it arrives.
    const slow = {
      reserve: async (request: Parameters<typeof store.reserve>[0]) => {
        const grant = await store.reserve(request);
        await sleep(60);
        return grant;
      },
      pause: store.pause,
    };
    const limiter = await processLike(t.db.url, { tenantId: tenant(), store: slow, useWithinMs: 10 });
    const times = await grantTimes(limiter, 20);
    expect(busiestWindow(times, rate.windowMs)).toBeLessThanOrEqual(rate.limit);
    expect(limiter.stats()).toMatchObject({ sharedGrants: 20, localGrants: 0, storeFailures: 0 });
  });

  it('a 429 pause taken by one limiter holds the other until it has passed', async () => {
    const tenantId = tenant();
    const [a, b] = [await processLike(t.db.url, { tenantId }), await processLike(t.db.url, { tenantId })];
    await a.pauseFor(700);
    await b.acquire();
    // Read on the database's clock, the one the pause was set on.
    expect(await pausePassed(b.key)).toBe(true);
    expect(b.stats()).toMatchObject({ sharedGrants: 1, localGrants: 0 });
  });

  it('a 429 answered to one client holds the clients of every other process', async () => {
    const sb = await startSandbox({ items: 3 });
    try {
      const own = { tenantId: sb.tenantId, appKey: sb.appKey };
      const [a, b] = [await processLike(t.db.url, own), await processLike(t.db.url, own)];
      const client = new StClient({ ...sb, rateLimiter: a, pauseOn429: true });
      await sb.control.setFaults({ script: ['rate-limit'] });
      const read = client.listByIds('materials', [1]);
      await vi.waitFor(
        async () => {
          const [row] = await t.sql<{ paused: boolean }>(
            'select paused_until is not null as paused from pricebook_st_rate_budget where budget_key = ?',
            [a.key],
          );
          expect(row?.paused).toBe(true);
        },
        { timeout: 10_000, interval: 20 },
      );
      await b.acquire();
      expect(await pausePassed(b.key)).toBe(true);
      await read;
      expect(client.stats()).toMatchObject({ rateLimited: 1, retries: 1 });
    } finally {
      await sb.stop();
    }
  });

  it('keeps the application key out of the table', async () => {
    const limiter = await processLike(t.db.url, { tenantId: tenant() });
    await limiter.acquire();
    const rows = await t.sql<{ budget_key: string }>('select budget_key from pricebook_st_rate_budget');
    expect(rows.map((r) => r.budget_key)).toContain(limiter.key);
    expect(JSON.stringify(rows)).not.toContain('ak1.shared-budget-test');
  });

  it('an unreachable store leaves the in-process limiter in charge, and no call fails', async () => {
    const nowhere = `postgresql://postgres@127.0.0.1:${await freePort()}/nowhere`;
    const insurance = new SlidingWindowLimiter({ limit: 3, windowMs: 200, marginMs: 0 });
    const limiter = await processLike(nowhere, { tenantId: tenant(), insurance, storeTimeoutMs: 2_000 });

    const times = await grantTimes(limiter, 9);

    expect(busiestWindow(times, 200)).toBeLessThanOrEqual(3);
    expect(limiter.stats()).toMatchObject({ sharedGrants: 0, localGrants: 9 });
    expect(limiter.stats().storeFailures).toBeGreaterThan(0);
  });

  it('a store that does not answer in time is bypassed, then used again once it answers', async () => {
    const limiter = await processLike(t.db.url, {
      tenantId: tenant(),
      storeTimeoutMs: 300,
      storeRetryMs: 100,
    });
    // An open transaction holding the table's lock: every reservation waits behind it.
    await t.orm.em.fork().transactional(async (em) => {
      await em.execute('lock table pricebook_st_rate_budget in access exclusive mode');
      await grantTimes(limiter, 3);
      expect(limiter.stats()).toMatchObject({ sharedGrants: 0, localGrants: 3 });
    });
    await vi.waitFor(
      async () => {
        await limiter.acquire();
        expect(limiter.stats().sharedGrants).toBeGreaterThan(0);
      },
      { timeout: 10_000, interval: 50 },
    );
  });
});
