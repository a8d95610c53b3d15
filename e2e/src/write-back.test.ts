import type pg from 'pg';
import { describe, expect } from 'vitest';
import {
  counts,
  localRows,
  outboxDrained,
  rows,
  startFromFullSync,
  stRecords,
  sync,
  test,
} from './test-support';

test.scoped({ stackOptions: { sandbox: { items: 60, seed: 21 } } });

// Write-back end to end: local edits made without the engine (plain SQL, and a write marked the
// way an API or tool marks its own) reach ServiceTitan on the next to_st / bidirectional sync, each
// with exactly one audit row and one event, and the echo is not taken for an ST change afterwards.
describe('write-back to ServiceTitan, end to end', () => {
  startFromFullSync();

  // The first materials as the first sync left them, read once.
  let ids: number[] | undefined;

  const stId = async (db: pg.Client, i: number) => {
    ids ??= [...(await localRows(db, 'materials')).keys()].sort((a, b) => a - b).slice(0, 4);
    const id = ids[i];
    if (id === undefined) throw new Error('the sandbox has materials');
    return id;
  };
  const recordOf = async (db: pg.Client, st: number) => {
    const [row] = await rows<{ id: string; sync_status: string }>(
      db,
      'select id, sync_status from pricebook_materials where st_id = $1',
      [st],
    );
    if (!row) throw new Error(`no row ${st}`);
    return row;
  };
  // The full sync that loaded the row wrote its create; these count what came after.
  const audit = async (db: pg.Client, recordId: string) =>
    Number(
      (
        await rows<{ n: string }>(
          db,
          `select count(*) as n from pricebook_changes where record_id = $1 and operation <> 'create'`,
          [recordId],
        )
      )[0]?.n,
    );
  const events = async (db: pg.Client, recordId: string) =>
    Number(
      (
        await rows<{ n: string }>(
          db,
          `select count(*) as n from pricebook_outbox where event_type like 'record.%' and event_type <> 'record.created'
             and payload ->> 'recordId' = $1`,
          [recordId],
        )
      )[0]?.n,
    );

  test('a to_st sync pushes a plain-SQL edit and an API-like edit, one audit row and one event each', async ({
    stack,
    sql: db,
  }) => {
    await db.query('update pricebook_materials set price = 111.11 where st_id = $1', [await stId(db, 0)]);
    await db.query('begin');
    await db.query(
      `select set_config('pricebook.origin', 'local', true), set_config('pricebook.actor', 'api:admin', true)`,
    );
    await db.query(
      `update pricebook_materials set data = jsonb_set(data, '{displayName}', '"via api"') where st_id = $1`,
      [await stId(db, 1)],
    );
    await db.query('commit');

    const result = await sync(stack, 'incremental', { direction: 'to_st', entityTypes: ['materials'] });
    expect(result).toMatchObject({ status: 'completed' });
    const st = (await stRecords(stack)).materials;
    expect(st.get(await stId(db, 0))?.price).toBe(111.11);
    expect(st.get(await stId(db, 1))?.displayName).toBe('via api');
    for (const i of [0, 1]) {
      const row = await recordOf(db, await stId(db, i));
      expect(row.sync_status).toBe('synced');
      expect(await audit(db, row.id)).toBe(1);
      expect(await events(db, row.id)).toBe(1);
    }
  });

  test('a bidirectional sync brings ST edits in and pushes local ones', async ({ stack, sql: db }) => {
    await db.query('update pricebook_materials set price = 222.22 where st_id = $1', [await stId(db, 2)]);
    await stack.sandbox.control.editItem('materials', await stId(db, 3), { displayName: 'edited in ST' });
    const result = await sync(stack, 'full', { direction: 'bidirectional', entityTypes: ['materials'] });
    expect(result).toMatchObject({ status: 'completed' });
    const st = (await stRecords(stack)).materials;
    expect(st.get(await stId(db, 2))?.price).toBe(222.22);
    const local = await localRows(db, 'materials');
    expect(local.get(await stId(db, 3))?.data.displayName).toBe('edited in ST');
    const pushed = await recordOf(db, await stId(db, 2));
    expect(pushed.sync_status).toBe('synced');
    expect(await audit(db, pushed.id)).toBe(1);
    expect(await events(db, pushed.id)).toBe(1);
  });

  test('a following from_st sync takes the echoes for unchanged: no write, no audit, no event', async ({
    stack,
    sql: db,
  }) => {
    await outboxDrained(db);
    const before = await counts(db);
    const result = await sync(stack, 'full', { entityTypes: ['materials'] });
    expect(result).toMatchObject({ status: 'completed' });
    expect(result.stats).toMatchObject({ created: 0, updated: 0, deleted: 0, conflicts: 0 });
    expect(await counts(db)).toEqual(before);
  });
});
