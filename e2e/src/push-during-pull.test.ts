import { until } from '@pricebook/testing/vitest';
import { describe, expect } from 'vitest';
import { api, counts, outboxDrained, rows, startFromFullSync, sync, test } from './test-support';

const ITEMS = 300;
const PREFIX = 'PDP-';
const GUID = '5f0c6b1e-3d4a-4c2b-9e7f-0a1b2c3d4e5f';

test.scoped({ stackOptions: { sandbox: { items: 30, seed: 14 } } });

// Issue 14, defect 7: a pull started while a bidirectional sync pushes its local creates used to
// import the items ServiceTitan had just created as second local rows; the push then failed on
// the unique st_id again and again. The run locks now cover the push phase, so that pull is refused.
describe('a pull requested while a sync pushes its creates', () => {
  startFromFullSync();

  test('is refused, and every item reaches ServiceTitan exactly once with one local row', async ({
    stack,
    sql: db,
  }) => {
    const ourItemsInSt = async () => {
      const items = await stack.sandbox.control.items('materials');
      return items.flatMap((item) => {
        const tags = item.externalDataByApp[GUID];
        const local = tags?.find((t) => t.key === 'pricebookLocalId')?.value;
        return local ? [local] : [];
      });
    };
    const syncStatus = async (id: string) =>
      (await rows<{ status: string }>(db, 'select status from pricebook_sync_log where id = $1', [id]))[0]
        ?.status;

    const localIds: string[] = [];
    for (let i = 0; i < ITEMS; i++) {
      const created = await api<{ item: { id: string } }>(stack, 'POST', '/api/pricebook/materials', {
        code: `${PREFIX}${i}`,
        description: 'created locally while a pull is asked for',
        price: 10 + i,
      });
      expect(created.status).toBe(201);
      localIds.push(created.body.item.id);
    }
    // Slow creates down so the push phase is long enough to ask for a pull in the middle of it.
    await stack.sandbox.control.setFaults({ latencyMs: 25, pathPattern: '/materials$' });

    const push = await api<{ syncLogId: string }>(stack, 'POST', '/api/sync/pricebook/incremental', {
      direction: 'bidirectional',
      entityTypes: ['materials'],
    });
    expect(push.status).toBe(202);
    await until('the push to start creating', async () => (await ourItemsInSt()).length >= 5, 120_000);

    const pull = await api<{ detail?: string }>(stack, 'POST', '/api/sync/pricebook/incremental', {
      direction: 'from_st',
      entityTypes: ['materials'],
    });
    expect(pull.status).toBe(409);
    expect((await ourItemsInSt()).length).toBeLessThan(ITEMS);

    await until(
      'the bidirectional sync to complete',
      async () => (await syncStatus(push.body.syncLogId)) === 'completed',
      240_000,
    );
    await stack.sandbox.control.clearFaults();

    const tagged = await ourItemsInSt();
    expect(tagged).toHaveLength(ITEMS);
    expect(new Set(tagged)).toEqual(new Set(localIds));
    const local = await rows<{ id: string; st_id: string | null; sync_status: string }>(
      db,
      `select id, st_id::text as st_id, sync_status from pricebook_materials
        where deleted_at is null and data->>'code' like $1`,
      [`${PREFIX}%`],
    );
    expect(local).toHaveLength(ITEMS);
    expect(new Set(local.map((r) => r.id))).toEqual(new Set(localIds));
    expect(local.filter((r) => r.st_id === null || r.sync_status !== 'synced')).toEqual([]);
    expect(new Set(local.map((r) => r.st_id)).size).toBe(ITEMS);

    // The next two-way sync sees ServiceTitan's creates as what the rows already hold.
    await outboxDrained(db);
    const before = await counts(db);
    const next = await sync(stack, 'incremental', { direction: 'bidirectional', entityTypes: ['materials'] });
    expect(next).toMatchObject({ status: 'completed', success: true });
    expect(next.stats).toMatchObject({ created: 0, updated: 0, deleted: 0, conflicts: 0, errors: 0 });
    expect(await counts(db)).toEqual(before);
  }, 600_000);
});
