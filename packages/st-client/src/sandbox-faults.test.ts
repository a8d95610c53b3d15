import { type StartedSandbox, startSandbox } from '@pricebook/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectList, duplicates, entityTypes, sandboxClient } from './test-support';

describe('the client against sandbox faults', () => {
  let sb: StartedSandbox;

  beforeAll(async () => {
    sb = await startSandbox({ items: 3000, seed: 9 });
  });
  afterAll(async () => {
    await sb?.stop();
  });
  beforeEach(async () => {
    await sb.control.clearFaults();
    await sb.control.resetStats();
  });

  const rateLimitStats = async () => {
    const stats = await sb.control.stats();
    const key = stats.rateLimit.find((k) => k.tenantId === sb.tenantId && k.appKey === sb.appKey);
    if (!key) throw new Error('no rate-limit stats for the tenant');
    return { stats, key };
  };

  it('completes under a 50% 429 storm without ever exceeding 60 requests per second', async () => {
    await sb.control.setFaults({ rateLimitStormRate: 0.5, seed: 3 });
    // 50% 429s: give each request room for long streaks of bad luck.
    const sends: number[] = [];
    const client = sandboxClient(sb, {
      retry: { maxAttempts: 40, maxTotalMs: 300_000 },
      fetch: (input, init) => {
        if (!String(input instanceof Request ? input.url : input).includes('/connect/'))
          sends.push(performance.now());
        return fetch(input, init);
      },
    });
    const materials = await sb.control.items('materials');
    const ids = materials.map((m) => m.id);

    // Many small concurrent requests, so the client must queue well above 60/s.
    const gets = ids.slice(0, 150).map((id) => client.get('materials', id));
    const byIds = client.listByIds('materials', ids);
    const lists = entityTypes.map((entity) => collectList(client, entity));
    const [got, listed, pages] = await Promise.all([Promise.all(gets), byIds, Promise.all(lists)]);

    expect(got.every((r) => r !== undefined)).toBe(true);
    expect(listed.missing).toEqual([]);
    expect(listed.records).toHaveLength(ids.length);
    const listedMaterials = pages[1]?.records ?? [];
    expect(duplicates(listedMaterials.map((r) => r.id))).toEqual([]);
    expect(listedMaterials).toHaveLength(ids.length);

    const own = client.stats();
    expect(own.rateLimited).toBeGreaterThan(20);
    expect(own.retries).toBeGreaterThanOrEqual(own.rateLimited);
    const { stats, key } = await rateLimitStats();
    sends.sort((a, b) => a - b);
    let maxSends = 0;
    for (let i = 0, j = 0; i < sends.length; i++) {
      while ((sends[i] ?? 0) - (sends[j] ?? 0) >= 1000) j++;
      maxSends = Math.max(maxSends, i - j + 1);
    }
    // Our own guarantee, measured where requests leave…
    expect(maxSends).toBeLessThanOrEqual(60);
    expect(stats.faultsInjected['rate-limit']).toBe(own.rateLimited);
    expect(key.rejected).toBe(0);
    // …and ST's view of it, where they arrive.
    expect(key.maxAcceptedPerSecond).toBeLessThanOrEqual(60);
    expect(key.maxAttemptedPerSecond).toBeLessThanOrEqual(60);
    // The limiter was really under pressure.
    expect(key.maxAttemptedPerSecond).toBeGreaterThanOrEqual(40);
  }, 120_000);

  it('renews a token that expires early, mid-run', async () => {
    await sb.control.setFaults({ tokenTtlSeconds: 2 });
    const client = sandboxClient(sb);
    const raw = await sb.control.items('materials', { includeDeleted: true });
    await sb.control.settings({ exportPageSize: 200 });
    let pages = 0;
    const ids: number[] = [];
    for await (const page of client.export('materials', { includeRecentChanges: true })) {
      ids.push(...page.records.map((r) => r.id));
      pages += 1;
      // The sandbox clock jumps past the token's real (hidden) lifetime between pages.
      if (pages % 3 === 0) await sb.control.advanceClock(3000);
    }
    expect(new Set(ids).size).toBe(raw.length);
    const own = client.stats();
    expect(own.tokenRefreshesOn401).toBeGreaterThanOrEqual(2);
    expect(own.byStatus['401']).toBe(own.tokenRefreshesOn401);
    const { stats } = await rateLimitStats();
    expect(stats.tokensIssued).toBe(own.tokenRequests);
    expect(stats.tokensIssued).toBeGreaterThanOrEqual(3);
  });

  it('retries a truncated page and a dropped connection', async () => {
    await sb.control.setFaults({
      script: ['truncate', 'drop', 'truncate', 'drop'],
      pathPattern: '/materials$',
    });
    const client = sandboxClient(sb);
    const { records } = await collectList(client, 'materials');
    const raw = await sb.control.items('materials');
    expect(records.map((r) => r.id).sort((a, b) => a - b)).toEqual(
      raw.map((r) => r.id).sort((a, b) => a - b),
    );
    const own = client.stats();
    expect(own.badBodies).toBe(2);
    expect(own.networkErrors).toBe(2);
    expect(own.retries).toBe(4);
    const { stats } = await rateLimitStats();
    expect(stats.faultsInjected).toMatchObject({ truncate: 2, drop: 2 });
  });

  it('rides out random 5xx answers', async () => {
    await sb.control.setFaults({ errorRate: 0.3, seed: 7 });
    const client = sandboxClient(sb, { retry: { maxAttempts: 20 } });
    for (const entity of entityTypes) {
      const { records } = await collectList(client, entity);
      expect(records).toHaveLength((await sb.control.items(entity)).length);
    }
    const ids = (await sb.control.items('materials')).map((e) => e.id);
    expect((await client.listByIds('materials', ids)).missing).toEqual([]);
    const own = client.stats();
    const fiveHundreds = (own.byStatus['500'] ?? 0) + (own.byStatus['502'] ?? 0) + (own.byStatus['503'] ?? 0);
    expect(fiveHundreds).toBeGreaterThan(0);
    expect(own.retries).toBe(fiveHundreds);
    expect((await sb.control.stats()).faultsInjected.error).toBe(fiveHundreds);
  });

  it('surfaces a failure that outlasts the retry budget as retryable', async () => {
    await sb.control.setFaults({ errorRate: 1 });
    const client = sandboxClient(sb, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    await expect(client.get('materials', 1)).rejects.toMatchObject({
      code: 'upstream_unavailable',
      retry: true,
    });
    expect(client.stats().requests).toBe(3);
  });
});
