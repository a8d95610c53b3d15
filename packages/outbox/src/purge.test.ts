import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { purgePublishedOutbox } from './store';
import { startTestDb, type TestDb, tenant } from './test-support';

let t: TestDb;
beforeAll(async () => {
  t = await startTestDb();
});
afterAll(() => t.close());
beforeEach(() => t.sql('delete from pricebook_outbox'));

const day = 86_400_000;

/** `count` rows created 40 days ago, published `publishedDaysAgo` days ago (null: unpublished); their ids. */
async function rows(count: number, publishedDaysAgo: number | null, tenantId = tenant): Promise<string[]> {
  const inserted = await t.sql<{ id: string }>(
    `insert into pricebook_outbox (tenant_id, subject, event_type, payload, created_at, published_at)
     select ?, 's', 'sync.completed', '{}'::jsonb, now() - interval '40 days',
            case when ?::int is null then null else now() - make_interval(days => ?::int) end
       from generate_series(1, ?)
     returning id`,
    [tenantId, publishedDaysAgo, publishedDaysAgo, count],
  );
  return inserted.map((r) => r.id);
}

const left = async () =>
  (await t.sql<{ id: string }>('select id from pricebook_outbox')).map((r) => r.id).sort();

async function drain(limit: number) {
  const em = t.orm.em.fork();
  let deleted = 0;
  for (let batches = 1; batches <= 100; batches += 1) {
    const n = await purgePublishedOutbox(em, { tenantId: tenant, olderThanMs: 7 * day, limit });
    deleted += n;
    if (n < limit) return { deleted, batches };
  }
  throw new Error('the batches never ran dry');
}

describe('purgePublishedOutbox', () => {
  it('deletes rows published before the window in bounded batches, never an unpublished row', async () => {
    await rows(5, 8);
    const kept = [...(await rows(3, 6)), ...(await rows(2, null)), ...(await rows(2, 30, '43'))];
    expect(await drain(2)).toEqual({ deleted: 5, batches: 3 });
    expect(await left()).toEqual(kept.sort());
    expect(await drain(2)).toEqual({ deleted: 0, batches: 1 });
  });

  it('lets two replicas purge at once: neither fails and the counts add up to what went', async () => {
    await rows(50, 8);
    const kept = await rows(4, null);
    const [one, two] = await Promise.all([drain(5), drain(5)]);
    expect(one.deleted + two.deleted).toBe(50);
    expect(await left()).toEqual(kept.sort());
  });
});
