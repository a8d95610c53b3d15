import { canonicalJson } from '@pricebook/contracts';
import type { Stack } from '@pricebook/testing';
import type pg from 'pg';
import { describe, expect } from 'vitest';
import { api, localRows, rows, startFromFullSync, stRecords, sync, test } from './test-support';

type ConflictList = {
  success: boolean;
  conflicts: Array<{ id: string; stId: number; conflictType: string; fieldDiff: Record<string, unknown> }>;
  total: number;
};

test.scoped({ stackOptions: { sandbox: { items: 40, seed: 5 } } });

// A person settles conflicts through the API: every service as its own process, the sandbox as
// ServiceTitan, real PostgreSQL and JetStream.
describe('conflicts, end to end', () => {
  startFromFullSync();

  /** The same field edited in ServiceTitan and, with plain SQL, locally; then a manual sync. */
  async function disagreeOn(stack: Stack, db: pg.Client, stId: number, stPrice: number, localPrice: number) {
    await stack.sandbox.control.editItem('materials', stId, { price: stPrice });
    await db.query(
      `update pricebook_materials set data = jsonb_set(data, '{price}', $1::jsonb) where st_id = $2`,
      [JSON.stringify(localPrice), stId],
    );
    const result = await sync(stack, 'full', { resolveConflicts: 'manual', entityTypes: ['materials'] });
    expect(result.status).toBe('completed');
    const list = await api<ConflictList>(stack, 'GET', '/api/sync/pricebook/conflicts?entityType=materials');
    expect(list.status).toBe(200);
    expect(list.body.conflicts.map((c) => c.stId)).toEqual([stId]);
    const [conflict] = list.body.conflicts;
    if (!conflict) throw new Error('no conflict listed');
    expect(conflict).toMatchObject({ conflictType: 'both_modified' });
    expect(Object.keys(conflict.fieldDiff)).toContain('price');
    return conflict;
  }

  const unresolved = async (db: pg.Client) =>
    Number(
      (
        await rows<{ n: string }>(
          db,
          `select count(*) as n from pricebook_sync_conflicts where status = 'unresolved'`,
        )
      )[0]?.n,
    );

  test('keep_st makes the row equal its ServiceTitan record and leaves no conflict', async ({
    stack,
    sql: db,
  }) => {
    const [stId] = [...(await localRows(db, 'materials')).keys()];
    if (stId === undefined) throw new Error('no materials');
    const conflict = await disagreeOn(stack, db, stId, 1111.25, 2222.5);

    const res = await api(stack, 'POST', `/api/sync/pricebook/resolve-conflict/${conflict.id}`, {
      strategy: 'keep_st',
      resolvedBy: 'e2e@example.com',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, status: 'resolved' });

    const st = (await stRecords(stack)).materials.get(stId);
    const local = (await localRows(db, 'materials')).get(stId);
    expect(canonicalJson(local?.data)).toBe(canonicalJson(st));
    expect(local?.sync_status).toBe('synced');
    expect(await unresolved(db)).toBe(0);
  });

  test('keep_local keeps the local edit and marks the row for pushing', async ({ stack, sql: db }) => {
    const [, stId] = [...(await localRows(db, 'materials')).keys()];
    if (stId === undefined) throw new Error('no second material');
    const conflict = await disagreeOn(stack, db, stId, 3333.75, 4444.5);

    const res = await api(stack, 'POST', `/api/sync/pricebook/resolve-conflict/${conflict.id}`, {
      strategy: 'keep_local',
      resolvedBy: 'e2e@example.com',
    });
    expect(res.status).toBe(200);
    const local = (await localRows(db, 'materials')).get(stId);
    expect(local?.data.price).toBe(4444.5);
    // The push itself belongs to the push consumer; once it has run, ServiceTitan holds the local price.
    if (local?.sync_status === 'synced') {
      expect((await stRecords(stack)).materials.get(stId)?.price).toBe(4444.5);
    } else {
      expect(local?.sync_status).toBe('pending_sync');
    }
    const pushes = await rows<{ payload: { recordIds: string[] } }>(
      db,
      `select payload from pricebook_outbox where event_type = 'push.command'`,
    );
    expect(pushes.map((p) => p.payload.recordIds)).toContainEqual([local?.id]);
    expect(await unresolved(db)).toBe(0);
  });
});
