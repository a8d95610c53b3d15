import { canonicalJson } from '@pricebook/contracts';
import type { Stack } from '@pricebook/testing';
import { until } from '@pricebook/testing/vitest';
import type pg from 'pg';
import { describe, expect } from 'vitest';
import { api, localRows, startFromFullSync, stRecords, sync, test } from './test-support';

type ConflictList = {
  conflicts: Array<{ id: string; stId: number; conflictType: string; fieldDiff: Record<string, unknown> }>;
};

test.scoped({ stackOptions: { sandbox: { items: 40, seed: 23 } } });

// ServiceTitan changes price and memberPrice of an item, the local side changes only price: a
// conflict on price. However it is settled, ServiceTitan's memberPrice is nobody's dispute and must
// survive the push, in ServiceTitan and locally. Every service as its own process, the sandbox as
// ServiceTitan, real PostgreSQL and JetStream.
describe('a settled conflict never reverts ServiceTitan edits nobody disputed', () => {
  startFromFullSync();

  // The materials as the first sync left them, read once (the tests edit but never add or delete).
  let materials: number[] | undefined;
  const materialIds = async (db: pg.Client) =>
    (materials ??= [...(await localRows(db, 'materials')).keys()].sort((a, b) => a - b));

  const material = async (db: pg.Client, i: number) => {
    const id = (await materialIds(db))[i];
    if (id === undefined) throw new Error('not enough materials');
    return id;
  };

  /**
   * ST edits price and memberPrice; the local side edits price (by `localDelta` from ST's new price,
   * an ordinary edit the push brake lets through) and `localFields` through the API.
   */
  async function disputePrice(
    stack: Stack,
    stId: number,
    localDelta: number,
    localFields: Record<string, unknown> = {},
  ) {
    const before = await stack.sandbox.control.item('materials', stId);
    const stEdit = { price: Number(before.price) + 50, memberPrice: Number(before.memberPrice) + 3.5 };
    const localPrice = Math.round((stEdit.price + localDelta) * 100) / 100;
    await stack.sandbox.control.editItem('materials', stId, stEdit);
    const patched = await api(stack, 'PATCH', `/api/pricebook/materials/st:${stId}`, {
      price: localPrice,
      ...localFields,
    });
    expect(patched.status).toBe(200);
    return { stEdit, localPrice };
  }

  /** A from_st sync that leaves the dispute for a person; the conflict it opened. */
  async function openConflict(stack: Stack, stId: number) {
    const pulled = await sync(stack, 'full', { resolveConflicts: 'manual', entityTypes: ['materials'] });
    expect(pulled.status).toBe('completed');
    const list = await api<ConflictList>(
      stack,
      'GET',
      '/api/sync/pricebook/conflicts?entityType=materials&status=unresolved',
    );
    const conflict = list.body.conflicts.find((c) => c.stId === stId);
    if (!conflict) throw new Error(`no conflict for ${stId}`);
    expect(conflict.conflictType).toBe('both_modified');
    expect(Object.keys(conflict.fieldDiff)).toEqual(['price']);
    return conflict;
  }

  /** Pushes, then waits until the row is in step with ServiceTitan; both records. */
  async function pushed(stack: Stack, db: pg.Client, stId: number) {
    const result = await sync(stack, 'incremental', { direction: 'to_st', entityTypes: ['materials'] });
    expect(result.status).toBe('completed');
    await until(
      'the row to be pushed',
      async () => (await localRows(db, 'materials')).get(stId)?.sync_status === 'synced',
      60_000,
    );
    const st = (await stRecords(stack)).materials.get(stId);
    const local = (await localRows(db, 'materials')).get(stId);
    if (!st || !local) throw new Error(`item ${stId} missing`);
    expect(canonicalJson(local.data)).toBe(canonicalJson(st));
    return st;
  }

  test('keep_local: ServiceTitan gets the local price and keeps its own memberPrice', async ({
    stack,
    sql: db,
  }) => {
    const stId = await material(db, 0);
    const { stEdit, localPrice } = await disputePrice(stack, stId, 27.25);
    const conflict = await openConflict(stack, stId);

    const res = await api(stack, 'POST', `/api/sync/pricebook/resolve-conflict/${conflict.id}`, {
      strategy: 'keep_local',
      resolvedBy: 'e2e@example.com',
    });
    expect(res.status).toBe(200);

    const st = await pushed(stack, db, stId);
    expect(st).toMatchObject({ price: localPrice, memberPrice: stEdit.memberPrice });
  });

  test('a sync with resolveConflicts keep_local: the local price wins, ServiceTitan keeps its memberPrice', async ({
    stack,
    sql: db,
  }) => {
    const stId = await material(db, 1);
    const { stEdit, localPrice } = await disputePrice(stack, stId, 38.5);

    const result = await sync(stack, 'full', {
      direction: 'bidirectional',
      resolveConflicts: 'keep_local',
      entityTypes: ['materials'],
    });
    expect(result.status).toBe('completed');

    const st = await pushed(stack, db, stId);
    expect(st).toMatchObject({ price: localPrice, memberPrice: stEdit.memberPrice });
  });

  test('a per-field merge: the typed price and the undisputed local code reach ServiceTitan, its memberPrice stays', async ({
    stack,
    sql: db,
  }) => {
    const stId = await material(db, 2);
    const { stEdit } = await disputePrice(stack, stId, 49.75, { code: 'E2E-MERGED' });
    const typed = Math.round((stEdit.price + 5.5) * 100) / 100;
    const conflict = await openConflict(stack, stId);

    const res = await api(stack, 'POST', `/api/sync/pricebook/resolve-conflict/${conflict.id}`, {
      strategy: 'merge',
      values: { price: typed },
      resolvedBy: 'e2e@example.com',
    });
    expect(res.status).toBe(200);

    const st = await pushed(stack, db, stId);
    expect(st).toMatchObject({ price: typed, memberPrice: stEdit.memberPrice, code: 'E2E-MERGED' });
  });
});
