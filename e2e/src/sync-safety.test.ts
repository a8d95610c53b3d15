import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { until } from '@pricebook/testing/vitest';
import { describe, expect } from 'vitest';
import { api, counts, localRows, outboxDrained, rows, startFromFullSync, sync, test } from './test-support';

test.scoped({ stackOptions: { sandbox: { items: 300, seed: 23 } } });

// What protects a contractor's pricebook from bad input and from the engine's own mistakes.
describe('sync safety, end to end', () => {
  startFromFullSync();

  test('an invalid ST record is counted, kept for inspection, and the rest of the sync goes on', async ({
    stack,
    sql: db,
  }) => {
    const [bad, good] = [...(await localRows(db, 'materials')).keys()];
    if (bad === undefined || good === undefined) throw new Error('no materials');
    await stack.sandbox.control.corruptItem('materials', bad, { price: 'twelve dollars' });
    await stack.sandbox.control.editItem('materials', good, { price: 777.25 });

    const result = await sync(stack, 'full');
    expect(result).toMatchObject({ status: 'completed', stats: { errors: 1, updated: 1, deleted: 0 } });
    const [kept] = await rows<{ reason: string; st_id: string }>(
      db,
      `select reason, st_id from pricebook_quarantine where sync_log_id = $1`,
      [result.syncLogId],
    );
    expect(Number(kept?.st_id)).toBe(bad);
    expect(kept?.reason).toMatch(/price/);
    expect((await localRows(db, 'materials')).get(good)?.data.price).toBe(777.25);
    // The invalid record is neither changed nor swept away locally.
    expect((await localRows(db, 'materials')).has(bad)).toBe(true);

    const detail = await api<{ errors: { items: { stId: number; reason: string }[] } }>(
      stack,
      'GET',
      `/api/sync/pricebook/logs/${result.syncLogId}`,
    );
    expect(detail.body.errors.items.map((e) => e.stId)).toEqual([bad]);
  });

  test('a poisoned pipeline message is terminated with its reason recorded, and the pipeline goes on', async ({
    stack,
    sql: db,
  }) => {
    const nc = await connect({ servers: stack.nats.url });
    try {
      await jetstream(nc).publish(
        `pricebook.pipe.${stack.sandbox.tenantId}.materials.observed.v1`,
        '{"not": "an envelope"',
      );
    } finally {
      await nc.close();
    }
    await until(
      'the poisoned message to be recorded',
      async () =>
        (await rows(db, `select 1 from pricebook_dead_letters where subject like '%.materials.observed.v1'`))
          .length === 1,
      30_000,
    );
    const [letter] = await rows<{ reason: string }>(db, 'select reason from pricebook_dead_letters');
    expect(letter?.reason).toBeTruthy();
    expect((await sync(stack, 'incremental')).status).toBe('completed');
  });

  test('a dry run writes nothing, and its plan is exactly what the real sync then does', async ({
    stack,
    sql: db,
  }) => {
    const ids = [...(await localRows(db, 'services')).keys()].slice(0, 3);
    for (const id of ids) await stack.sandbox.control.editItem('services', id, { price: 1000 + id });
    await outboxDrained(db);
    const before = await counts(db);

    const dry = await sync(stack, 'full', { dryRun: true, entityTypes: ['services'] });
    expect(dry).toMatchObject({ status: 'completed', stats: { updated: 3, created: 0, deleted: 0 } });
    expect(await counts(db)).toEqual(before);
    const plan = await api<{ plan: { items: { itemKey: string; action: string }[] } }>(
      stack,
      'GET',
      `/api/sync/pricebook/logs/${dry.syncLogId}?planAction=update`,
    );
    expect(plan.body.plan.items.map((i) => Number(i.itemKey)).sort()).toEqual([...ids].sort());

    const real = await sync(stack, 'full', { entityTypes: ['services'] });
    expect(real.stats).toMatchObject({ updated: 3, created: 0, deleted: 0 });
    const services = await localRows(db, 'services');
    for (const id of ids) expect(services.get(id)?.data.price).toBe(1000 + id);
  });

  test('the mass-delete brake refuses to delete most of an entity unless the request allows it', async ({
    stack,
    sql: db,
  }) => {
    const categories = [...(await localRows(db, 'categories')).keys()];
    const doomed = categories.slice(0, Math.ceil(categories.length * 0.7));
    for (const id of doomed) await stack.sandbox.control.deleteItem('categories', id);

    const refused = await sync(stack, 'full', { entityTypes: ['categories'] });
    expect(refused.status).toBe('failed');
    expect(JSON.stringify(refused)).toMatch(/delete/i);
    expect((await localRows(db, 'categories')).size).toBe(categories.length);

    const allowed = await sync(stack, 'full', { entityTypes: ['categories'], allowMassDelete: true });
    expect(allowed).toMatchObject({ status: 'completed', stats: { deleted: doomed.length } });
    const left = await localRows(db, 'categories');
    expect(left.size).toBe(categories.length - doomed.length);
    for (const id of doomed) expect(left.has(id)).toBe(false);
  });
});
