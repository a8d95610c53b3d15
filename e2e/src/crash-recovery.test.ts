import { until } from '@pricebook/testing/vitest';
import type pg from 'pg';
import { describe, expect } from 'vitest';
import { api, eventCount, outboxDrained, rows, stRecords, test } from './test-support';

test.scoped({ stackOptions: { sandbox: { items: 4000, seed: 5 } } });

// Invariant 4: killing any process at any moment and starting it again converges to the same
// end state with no manual step.
describe('crash recovery, end to end', () => {
  const progress = async (db: pg.Client, syncLogId: string) =>
    (
      await rows<{ status: string; created: number }>(
        db,
        'select status, records_created as created from pricebook_sync_log where id = $1',
        [syncLogId],
      )
    )[0];

  test('a full sync survives the comparator, the applier and the fetcher being killed mid-run', async ({
    stack,
    sql: db,
  }) => {
    const started = await api<{ syncLogId: string }>(stack, 'POST', '/api/sync/pricebook/full', {});
    expect(started.status).toBe(202);
    const { syncLogId } = started.body;

    await until('the first rows', async () => ((await progress(db, syncLogId))?.created ?? 0) > 0, 60_000);
    await stack.services.applier.kill();
    await stack.services.comparator.kill();
    await stack.services.fetcher.kill();
    await Promise.all([
      stack.services.fetcher.restart(),
      stack.services.comparator.restart(),
      stack.services.applier.restart(),
    ]);

    await until(
      'the sync to complete',
      async () => (await progress(db, syncLogId))?.status === 'completed',
      120_000,
    );
    await outboxDrained(db);

    const st = await stRecords(stack);
    const total = Object.values(st).reduce((n, m) => n + m.size, 0);
    const [local] = await rows<{ n: string }>(
      db,
      `select (select count(*) from pricebook_categories) + (select count(*) from pricebook_materials)
            + (select count(*) from pricebook_services) + (select count(*) from pricebook_equipment) as n`,
    );
    expect(Number(local?.n)).toBe(total);
    const [audit] = await rows<{ n: string; distinct: string }>(
      db,
      `select count(*) as n, count(distinct record_id) as distinct from pricebook_changes`,
    );
    expect(Number(audit?.n)).toBe(total);
    expect(Number(audit?.distinct)).toBe(total);
    expect(await eventCount(stack, 'pricebook.events.*.*.created.v1')).toBe(total);
    expect((await progress(db, syncLogId))?.created).toBe(total);
  }, 300_000);
});
