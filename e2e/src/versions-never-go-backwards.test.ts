import { canonicalJson } from '@pricebook/contracts';
import { describe, expect } from 'vitest';
import { counts, localRows, outboxDrained, recordEventCount, stRecords, sync, test } from './test-support';

test.scoped({
  stackOptions: {
    sandbox: { items: 40, seed: 29, exportPageSize: 5 },
    // The comparator gathers the whole run into one batch, so both versions of the record are
    // judged against the same row and the newer one has to go round again after the older one
    // is applied: the order in which a fast fence could otherwise finish the entity first.
    env: { COMPARATOR_LINGER_MS: '3000' },
  },
});

// A record ServiceTitan changes while a sync pages through the export feed is met twice in that
// sync, older first. The newest version is what the row ends at, and the export token saved by
// the sync never moves past it: the next sync has nothing left to bring.
describe('versions never go backwards', () => {
  test('a record edited while the sync pages ends at its newest version, and the token does not skip it', async ({
    stack,
    sql: db,
  }) => {
    expect(await sync(stack, 'full', { entityTypes: ['materials'] })).toMatchObject({ status: 'completed' });
    expect((await sync(stack, 'incremental', { entityTypes: ['materials'] })).status).toBe('completed');
    const ids = [...(await localRows(db, 'materials')).keys()].sort((a, b) => a - b);
    const [moving, ...others] = ids;
    if (moving === undefined || others.length < 8) throw new Error('not enough materials');
    // The record first, then enough others to fill more than one export page (5 rows).
    await stack.sandbox.control.editItem('materials', moving, { price: 1111 });
    await stack.sandbox.control.editItems('materials', others.slice(0, 8), { price: 3 });
    await stack.sandbox.control.editAfterExportPage('materials', moving, { price: 2222 });

    const result = await sync(stack, 'incremental', { entityTypes: ['materials'] });
    expect(result.status).toBe('completed');
    const st = (await stRecords(stack)).materials.get(moving);
    expect(st?.price).toBe(2222);
    expect(canonicalJson((await localRows(db, 'materials')).get(moving)?.data)).toBe(canonicalJson(st));

    // Nothing is left behind the saved token: the next sync writes nothing and the row stays newest.
    await outboxDrained(db);
    const before = await counts(db);
    const events = await recordEventCount(stack);
    const next = await sync(stack, 'incremental', { entityTypes: ['materials'] });
    expect(next).toMatchObject({ status: 'completed', stats: { created: 0, updated: 0, deleted: 0 } });
    await outboxDrained(db);
    expect(await counts(db)).toEqual(before);
    expect(await recordEventCount(stack)).toBe(events);
    expect((await localRows(db, 'materials')).get(moving)?.data.price).toBe(2222);
    // The stack starts and two syncs run inside this test, so it gets their time too.
  }, 240_000);
});
