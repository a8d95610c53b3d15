import { canonicalJson } from '@pricebook/contracts';
import { type Stack, startStack } from '@pricebook/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, localRows, rows, sqlClient, stRecords, sync } from './test-support';

type ConflictList = {
  success: boolean;
  conflicts: Array<{ id: string; stId: number; conflictType: string; fieldDiff: Record<string, unknown> }>;
  total: number;
};

// A person settles conflicts through the API: every service as its own process, the sandbox as
// ServiceTitan, real PostgreSQL and JetStream.
describe('conflicts, end to end', () => {
  let stack: Stack;
  let db: pg.Client;

  beforeAll(async () => {
    stack = await startStack({ sandbox: { items: 40, seed: 5 } });
    db = sqlClient(stack);
    await db.connect();
    const first = await sync(stack, 'full');
    expect(first.status).toBe('completed');
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  /** The same field edited in ServiceTitan and, with plain SQL, locally; then a manual sync. */
  async function disagreeOn(stId: number, stPrice: number, localPrice: number) {
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

  const unresolved = async () =>
    Number(
      (
        await rows<{ n: string }>(
          db,
          `select count(*) as n from pricebook_sync_conflicts where status = 'unresolved'`,
        )
      )[0]?.n,
    );

  it('keep_st makes the row equal its ServiceTitan record and leaves no conflict', async () => {
    const [stId] = [...(await localRows(db, 'materials')).keys()];
    if (stId === undefined) throw new Error('no materials');
    const conflict = await disagreeOn(stId, 1111.25, 2222.5);

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
    expect(await unresolved()).toBe(0);
  });

  it('keep_local keeps the local edit and marks the row for pushing', async () => {
    const [, stId] = [...(await localRows(db, 'materials')).keys()];
    if (stId === undefined) throw new Error('no second material');
    const conflict = await disagreeOn(stId, 3333.75, 4444.5);

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
    expect(await unresolved()).toBe(0);
  });
});
