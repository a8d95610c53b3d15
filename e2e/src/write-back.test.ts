import { type Stack, startStack } from '@pricebook/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counts, localRows, outboxDrained, rows, sqlClient, stRecords, sync } from './test-support';

// Write-back end to end: local edits made without the engine (plain SQL, and a write marked the
// way an API or tool marks its own) reach ServiceTitan on the next to_st / bidirectional sync, each
// with exactly one audit row and one event, and the echo is not taken for an ST change afterwards.
describe('write-back to ServiceTitan, end to end', () => {
  let stack: Stack;
  let db: pg.Client;
  let ids: number[];

  beforeAll(async () => {
    stack = await startStack({ sandbox: { items: 60, seed: 21 } });
    db = sqlClient(stack);
    await db.connect();
    expect(await sync(stack, 'full')).toMatchObject({ status: 'completed' });
    ids = [...(await localRows(db, 'materials')).keys()].sort((a, b) => a - b).slice(0, 4);
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const stId = (i: number) => {
    const id = ids[i];
    if (id === undefined) throw new Error('the sandbox has materials');
    return id;
  };
  const recordOf = async (st: number) => {
    const [row] = await rows<{ id: string; sync_status: string }>(
      db,
      'select id, sync_status from pricebook_materials where st_id = $1',
      [st],
    );
    if (!row) throw new Error(`no row ${st}`);
    return row;
  };
  // The full sync that loaded the row wrote its create; these count what came after.
  const audit = async (recordId: string) =>
    Number(
      (
        await rows<{ n: string }>(
          db,
          `select count(*) as n from pricebook_changes where record_id = $1 and operation <> 'create'`,
          [recordId],
        )
      )[0]?.n,
    );
  const events = async (recordId: string) =>
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

  it('a to_st sync pushes a plain-SQL edit and an API-like edit, one audit row and one event each', async () => {
    await db.query('update pricebook_materials set price = 111.11 where st_id = $1', [stId(0)]);
    await db.query('begin');
    await db.query(
      `select set_config('pricebook.origin', 'local', true), set_config('pricebook.actor', 'api:admin', true)`,
    );
    await db.query(
      `update pricebook_materials set data = jsonb_set(data, '{displayName}', '"via api"') where st_id = $1`,
      [stId(1)],
    );
    await db.query('commit');

    const result = await sync(stack, 'incremental', { direction: 'to_st', entityTypes: ['materials'] });
    expect(result).toMatchObject({ status: 'completed' });
    const st = (await stRecords(stack)).materials;
    expect(st.get(stId(0))?.price).toBe(111.11);
    expect(st.get(stId(1))?.displayName).toBe('via api');
    for (const i of [0, 1]) {
      const row = await recordOf(stId(i));
      expect(row.sync_status).toBe('synced');
      expect(await audit(row.id)).toBe(1);
      expect(await events(row.id)).toBe(1);
    }
  });

  it('a bidirectional sync brings ST edits in and pushes local ones', async () => {
    await db.query('update pricebook_materials set price = 222.22 where st_id = $1', [stId(2)]);
    await stack.sandbox.control.editItem('materials', stId(3), { displayName: 'edited in ST' });
    const result = await sync(stack, 'full', { direction: 'bidirectional', entityTypes: ['materials'] });
    expect(result).toMatchObject({ status: 'completed' });
    const st = (await stRecords(stack)).materials;
    expect(st.get(stId(2))?.price).toBe(222.22);
    const local = await localRows(db, 'materials');
    expect(local.get(stId(3))?.data.displayName).toBe('edited in ST');
    const pushed = await recordOf(stId(2));
    expect(pushed.sync_status).toBe('synced');
    expect(await audit(pushed.id)).toBe(1);
    expect(await events(pushed.id)).toBe(1);
  });

  it('a following from_st sync takes the echoes for unchanged: no write, no audit, no event', async () => {
    await outboxDrained(db);
    const before = await counts(db);
    const result = await sync(stack, 'full', { entityTypes: ['materials'] });
    expect(result).toMatchObject({ status: 'completed' });
    expect(result.stats).toMatchObject({ created: 0, updated: 0, deleted: 0, conflicts: 0 });
    expect(await counts(db)).toEqual(before);
  });
});
