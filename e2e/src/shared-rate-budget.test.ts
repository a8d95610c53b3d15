import { type ServiceProcess, startService } from '@pricebook/testing';
import { afterAll, describe, expect } from 'vitest';
import { rows, startFromFullSync, sync, test } from './test-support';

test.scoped({
  stackOptions: {
    sandbox: { items: 1500, seed: 41, exportPageSize: 5 },
    env: { PUSH_BULK_MIN: '10000' },
  },
});

// ServiceTitan allows 60 requests per second per (application key, tenant), counted over every
// caller. Two fetchers and two appliers, each a process of its own, read two export feeds and
// push local edits at the same time; the sandbox refuses nothing (its limit is off), so the peak
// it measures is the engine's own pacing.
describe('one ServiceTitan rate budget for every process and replica', () => {
  const replicas: ServiceProcess[] = [];

  startFromFullSync();

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
  });

  test('the sandbox never counts more than 60 requests in any second while two syncs and a push run', async ({
    stack,
    sql: db,
  }) => {
    // A second fetcher and applier. Export pages of 5 rows: reading a feed costs one request per
    // 5 items. Every edit pushed on its own (no bulk call): one request per edit.
    for (const name of ['fetcher', 'applier']) {
      replicas.push(await startService({ name, env: { ...stack.env, HEALTH_PORT: '0' } }));
    }
    await stack.sandbox.control.settings({ rateLimitPerSecond: 0 });
    await db.query(
      `update pricebook_materials set price = price + 1
        where id in (select id from pricebook_materials order by st_id limit 120)`,
    );
    // The full sync left export positions, so these incrementals would read almost nothing: read
    // the two feeds from their beginning instead, for traffic enough to test the pacing.
    await db.query(
      `update pricebook_sync_state set export_token = null where entity_type in ('services', 'equipment')`,
    );
    await stack.sandbox.control.resetStats();

    const results = await Promise.all([
      sync(stack, 'incremental', { entityTypes: ['services'] }),
      sync(stack, 'incremental', { entityTypes: ['equipment'] }),
      sync(stack, 'incremental', { direction: 'to_st', entityTypes: ['materials'] }),
    ]);
    for (const result of results) expect(result).toMatchObject({ status: 'completed' });

    const stats = await stack.sandbox.control.stats();
    const budget = stats.rateLimit.find(
      (k) => k.appKey === stack.sandbox.appKey && k.tenantId === stack.sandbox.tenantId,
    );
    // Enough traffic that four processes pacing alone (48/s each) would have crossed 60.
    expect(budget?.accepted).toBeGreaterThan(200);
    expect(budget?.maxAttemptedPerSecond).toBeLessThanOrEqual(60);
    expect(stats.rateLimited).toBe(0);

    // One budget row for the pair, shared by the four processes, without the app key in it.
    const budgets = await rows<{ budget_key: string }>(db, 'select budget_key from pricebook_st_rate_budget');
    expect(budgets).toHaveLength(1);
    expect(budgets[0]?.budget_key).toContain(stack.sandbox.tenantId);
    expect(budgets[0]?.budget_key).not.toContain(stack.sandbox.appKey);
  }, 180_000);
});
