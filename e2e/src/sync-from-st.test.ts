import { canonicalJson, entityTypes } from '@pricebook/contracts';
import { describe, expect } from 'vitest';
import {
  counts,
  eventCount,
  localRows,
  outboxDrained,
  recordEventCount,
  rows,
  stRecords,
  sync,
  test,
} from './test-support';

test.scoped({ stackOptions: { sandbox: { items: 400, seed: 11 } } });

// The product's main job end to end: every service as its own process, the sandbox as
// ServiceTitan, the real PostgreSQL and a private JetStream server.
describe('sync from ServiceTitan, end to end', () => {
  test('a full sync makes every local row equal its ST record, and nothing else exists', async ({
    stack,
    sql: db,
  }) => {
    const result = await sync(stack, 'full');
    expect(result).toMatchObject({ success: true, status: 'completed' });

    const st = await stRecords(stack);
    let total = 0;
    for (const entity of entityTypes) {
      const local = await localRows(db, entity);
      expect([...local.keys()].sort()).toEqual([...st[entity].keys()].sort());
      for (const [id, record] of st[entity]) {
        expect(canonicalJson(local.get(id)?.data), `${entity} ${id}`).toBe(canonicalJson(record));
      }
      total += st[entity].size;
    }
    expect(result.stats.created).toBe(total);
    expect(result.stats.errors).toBe(0);

    // Exactly one audit row and one public event per created row.
    const [audit] = await rows<{ n: string; distinct: string }>(
      db,
      `select count(*) as n, count(distinct record_id) as distinct from pricebook_changes where operation = 'create'`,
    );
    expect(Number(audit?.n)).toBe(total);
    expect(Number(audit?.distinct)).toBe(total);
    await outboxDrained(db);
    expect(await eventCount(stack, 'pricebook.events.*.*.created.v1')).toBe(total);
  });

  test('a second sync with nothing changed writes no row, no audit entry and no event', async ({
    stack,
    sql: db,
  }) => {
    await outboxDrained(db);
    const before = await counts(db);
    const eventsBefore = await recordEventCount(stack);

    const full = await sync(stack, 'full');
    expect(full).toMatchObject({ status: 'completed', stats: { created: 0, updated: 0, deleted: 0 } });
    const incremental = await sync(stack, 'incremental');
    expect(incremental).toMatchObject({ status: 'completed', stats: { created: 0, updated: 0, deleted: 0 } });
    // The full sync left each entity an export position: the incremental read only what changed
    // since (nothing), not the whole export feed.
    expect(incremental.stats.fetched).toBe(0);

    await outboxDrained(db);
    expect(await counts(db)).toEqual(before);
    // Only sync lifecycle events are new; no record event.
    expect(await recordEventCount(stack)).toBe(eventsBefore);
  });

  test('every ST edit, creation, deactivation and deletion reaches the database through an incremental sync, once each', async ({
    stack,
    sql: db,
  }) => {
    await sync(stack, 'incremental');
    await outboxDrained(db);
    const before = await counts(db);
    const eventsBefore = await recordEventCount(stack);

    const materials = await localRows(db, 'materials');
    const services = await localRows(db, 'services');
    const equipment = await localRows(db, 'equipment');
    const [editId] = [...materials.keys()];
    const [deactivateId] = [...services.keys()];
    const [deleteId] = [...equipment.keys()];
    if (editId === undefined || deactivateId === undefined || deleteId === undefined)
      throw new Error('no rows');

    await stack.sandbox.control.editItem('materials', editId, { price: 4321.5 });
    const created = (await stack.sandbox.control.createItem('materials', {
      code: 'E2E-NEW-1',
      description: 'Created in ServiceTitan during the test',
      price: 12.34,
    })) as { id: number };
    await stack.sandbox.control.deactivateItem('services', deactivateId);
    await stack.sandbox.control.deleteItem('equipment', deleteId);
    // Past ServiceTitan's 15-minute export visibility lag.
    await stack.sandbox.control.advanceClock(16 * 60_000);

    const result = await sync(stack, 'incremental');
    expect(result.status).toBe('completed');
    await outboxDrained(db);

    const after = await localRows(db, 'materials');
    expect(after.get(editId)?.data.price).toBe(4321.5);
    expect(after.get(created.id)?.data.code).toBe('E2E-NEW-1');
    expect((await localRows(db, 'services')).get(deactivateId)?.data.active).toBe(false);
    const [gone] = await rows<{ deleted: boolean; active: boolean }>(
      db,
      `select deleted_at is not null as deleted, (data->>'active')::boolean as active from pricebook_equipment where st_id = $1`,
      [deleteId],
    );
    expect(gone?.deleted === true || gone?.active === false).toBe(true);

    const delta = await counts(db);
    expect(delta.changes - before.changes).toBe(4);
    expect(delta.outbox - before.outbox).toBe(4);
    expect((await recordEventCount(stack)) - eventsBefore).toBe(4);
  });
});
