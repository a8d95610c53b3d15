import { beforeEach, describe, expect, it } from 'vitest';
import { claimOutboxBatch, markOutboxPublished, type OutboxEntry, relayOutbox } from './outbox';
import { databaseForFile } from './test-support';

const t = databaseForFile();

beforeEach(async () => {
  await t.sql('delete from pricebook_outbox');
  // 60 events through the trigger path, in one statement.
  await t.sql(
    `insert into pricebook_categories (tenant_id, st_id, data)
     select 3, g, jsonb_build_object('id', g, 'name', 'c' || g) from generate_series(1, 60) as g`,
  );
  await t.sql('delete from pricebook_categories');
});

/** Resolves once `count` promises have called `arrive`, so two transactions overlap for sure. */
function barrier(count: number) {
  let arrived = 0;
  let release = () => {};
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return async () => {
    arrived += 1;
    if (arrived === count) release();
    await all;
  };
}

describe('outbox claims', () => {
  it('never hand the same row to two connections at once', async () => {
    const meet = barrier(2);
    const claim = () =>
      t.orm.em.fork().transactional(async (em) => {
        const rows = await claimOutboxBatch(em, 50);
        await meet(); // both transactions hold their locks here
        await markOutboxPublished(
          em,
          rows.map((r) => r.id),
        );
        return rows;
      });
    const [a, b] = await Promise.all([claim(), claim()]);
    const ids = [...a, ...b].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    // 120 rows (60 creates + 60 deletes): the first claim took 50, the other the next 50.
    expect(ids).toHaveLength(100);
    for (const batch of [a, b]) {
      const seqs = batch.map((r) => BigInt(r.seq));
      expect([...seqs].sort((x, y) => (x < y ? -1 : 1))).toEqual(seqs);
    }
    const left = await t.sql<{ n: string }>(
      'select count(*) as n from pricebook_outbox where published_at is null',
    );
    expect(Number(left[0]?.n)).toBe(20);
  });

  it('refuse to claim outside a transaction, where the locks would vanish at once', async () => {
    await expect(claimOutboxBatch(t.orm.em.fork(), 10)).rejects.toThrow(/needs a transaction/);
  });
});

describe('relayOutbox', () => {
  it('publishes in seq order, marks what it published, and leaves everything on failure', async () => {
    await expect(
      relayOutbox(t.orm, {
        limit: 10,
        publish: async () => {
          throw new Error('nats down');
        },
      }),
    ).rejects.toThrow('nats down');
    const unpublished = await t.sql<{ n: string }>(
      'select count(*) as n from pricebook_outbox where published_at is null',
    );
    expect(Number(unpublished[0]?.n)).toBe(120);

    const published: OutboxEntry[] = [];
    let relayed = 0;
    do {
      relayed = await relayOutbox(t.orm, {
        limit: 50,
        publish: async (entries) => {
          published.push(...entries);
        },
      });
    } while (relayed > 0);
    expect(published).toHaveLength(120);
    expect(published[0]).toMatchObject({
      tenantId: '3',
      subject: 'pricebook.events.3.categories.created.v1',
      eventType: 'record.created',
      correlationId: null,
    });
    expect(published[0]?.createdAt).toBeInstanceOf(Date);
    expect(published.at(-1)?.subject).toBe('pricebook.events.3.categories.deleted.v1');
    const seqs = published.map((p) => BigInt(p.seq));
    expect(seqs.every((s, i) => i === 0 || s > (seqs[i - 1] ?? 0n))).toBe(true);
  });
});
