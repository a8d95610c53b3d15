import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { Message } from '@pricebook/contracts';
import { recordPoison } from '@pricebook/db';
import { type BatchFailures, type BatchHandler, publishAll, runConsumer } from '@pricebook/messaging';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { comparatorHandler } from './compare-batch';
import { SyncOptionsCache } from './sync-options';
import {
  createSyncLog,
  decidedCount,
  delivery,
  drainDecided,
  observed,
  observedSettled,
  seedRow,
  silentLog,
  startWorld,
  testComparatorConsumer,
  until,
} from './test-support';

const t1 = '2025-01-01T00:00:00.0000000Z';
const t2 = '2025-02-01T00:00:00.0000000Z';
const material = (stId: number, extra: Record<string, unknown> = {}) => ({
  id: stId,
  code: `M-${stId}`,
  description: 'pipe',
  price: 10,
  cost: 5,
  active: true,
  categories: [1],
  modifiedOn: t1,
  ...extra,
});
const service = (stId: number, extra: Record<string, unknown> = {}) => ({
  id: stId,
  code: `S-${stId}`,
  description: 'repair',
  price: 100,
  active: true,
  modifiedOn: t1,
  ...extra,
});

const world = forFile(() => startWorld());

function startComparator(
  wrap: (inner: BatchHandler<'record.observed'>) => BatchHandler<'record.observed'> = (h) => h,
  js: JetStreamClient = world.js,
) {
  const handler = comparatorHandler({
    orm: world.orm,
    js,
    syncOptions: new SyncOptionsCache(silentLog),
    publishConcurrency: 32,
  });
  return runConsumer({
    js: world.js,
    consumer: testComparatorConsumer,
    batchSize: 1_000,
    lingerMs: 100,
    log: silentLog,
    handler: wrap(handler),
    onPoison: recordPoison(world.orm),
  });
}

async function compare(messages: Message<'record.observed'>[], expected = messages.length) {
  await publishAll(world.js, messages);
  await until('every decision to be published', async () => (await decidedCount(world)) >= expected);
  await until('the observed batch to be acked', () => observedSettled(world));
  return drainDecided(world);
}

describe('the comparator', () => {
  it('skips a late ST version older than one an open conflict already took in', async () => {
    const syncId = await createSyncLog(world, 'manual');
    const row = await seedRow(world, {
      stId: 951,
      st: material(951),
      hasConflict: true,
      localEdit: { price: 15 },
    });
    // The conflict holds ST's version of March; the base (and the local data) stay at January's.
    await world.orm.em
      .fork()
      .execute(`update pricebook_materials set st_modified_on = '2025-03-01T00:00:00Z' where id = ?`, [
        row.id,
      ]);
    const runner = startComparator();
    let decided: Message<'record.decided'>[];
    try {
      decided = await compare([observed(syncId, 951, material(951, { price: 20, modifiedOn: t2 }))]);
    } finally {
      await runner.stop();
    }
    expect(decided.map((d) => d.data.action)).toEqual(['skip']);
  });

  it('decides create, update, skip, delete, merge and conflict as the rules say', async () => {
    const manual = await createSyncLog(world, 'manual');
    const keepLocal = await createSyncLog(world, 'keep_local');
    const unlogged = '5a5a5a5a-1b1b-4c4c-8d8d-9e9e9e9e9e9e';
    const rows = {
      same: await seedRow(world, { stId: 101, st: material(101) }),
      changed: await seedRow(world, { stId: 102, st: material(102) }),
      localCode: await seedRow(world, { stId: 104, st: material(104), localEdit: { code: 'LOCAL' } }),
      localPrice: await seedRow(world, { stId: 105, st: material(105), localEdit: { price: 15 } }),
      goneInSt: await seedRow(world, { stId: 106, st: material(106) }),
      conflicted: await seedRow(world, { stId: 107, st: material(107), hasConflict: true }),
      restored: await seedRow(world, { stId: 108, st: material(108), engineDeleted: true }),
      keepLocal: await seedRow(world, { stId: 110, st: material(110), localEdit: { price: 15 } }),
      unlogged: await seedRow(world, { stId: 111, st: material(111), localEdit: { price: 15 } }),
      service: await seedRow(world, { entity: 'services', stId: 201, st: service(201) }),
    };
    await seedRow(world, { stId: 109, st: material(109), tenantId: '77' });

    const messages = [
      observed(manual, 101, material(101)),
      observed(manual, 102, material(102, { price: 12, modifiedOn: t2 })),
      observed(manual, 103, material(103)),
      observed(manual, 104, material(104, { price: 12, modifiedOn: t2 })),
      observed(manual, 105, material(105, { price: 12, modifiedOn: t2 })),
      observed(manual, 106, material(106, { active: false, modifiedOn: t2 }), { deleted: true }),
      observed(manual, 107, material(107)),
      observed(manual, 108, material(108)),
      observed(manual, 109, material(109)),
      observed(keepLocal, 110, material(110, { price: 12, modifiedOn: t2 })),
      observed(unlogged, 111, material(111, { price: 12, modifiedOn: t2 })),
      observed(manual, 201, service(201, { description: 'repair, now with parts', modifiedOn: t2 }), {
        entity: 'services',
      }),
      observed(manual, 202, service(202), { entity: 'services' }),
    ];
    const runner = startComparator();
    let decided: Message<'record.decided'>[];
    try {
      decided = await compare(messages);
    } finally {
      await runner.stop();
    }

    expect(decided).toHaveLength(messages.length);
    const byStId = new Map(decided.map((m) => [m.data.stId, m]));
    for (const o of messages) {
      const d = byStId.get(o.data.stId);
      expect(d?.id).toBe(`${o.id}:decided`);
      expect(d?.causationId).toBe(o.id);
      expect(d?.correlationId).toBe(o.data.syncLogId);
      expect(d?.data).toMatchObject({
        syncLogId: o.data.syncLogId,
        entity: o.data.entity,
        hash: o.data.hash,
      });
    }
    const data = (stId: number) => byStId.get(stId)?.data;

    expect(data(101)).toMatchObject({ action: 'skip', recordId: rows.same.id });
    expect(data(102)).toMatchObject({
      action: 'update',
      changedFields: ['price'],
      recordId: rows.changed.id,
      expected: { version: rows.changed.version, localModifiedAt: null },
      base: material(102),
      record: material(102, { price: 12, modifiedOn: t2 }),
    });
    expect(data(102)?.expected?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(data(103)).toMatchObject({ action: 'create', record: material(103) });
    expect(data(103)?.recordId).toBeUndefined();
    expect(data(104)).toMatchObject({
      action: 'merge',
      recordId: rows.localCode.id,
      local: material(104, { code: 'LOCAL', price: 12, modifiedOn: t2 }),
      changedFields: ['price'],
      expected: { version: rows.localCode.version },
    });
    expect(data(104)?.expected?.localModifiedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(data(105)).toMatchObject({
      action: 'conflict',
      conflictType: 'both_modified',
      fieldDiff: { price: { base: 10, st: 12, local: 15 } },
      local: material(105, { price: 15 }),
    });
    expect(data(105)?.autoResolve).toBeUndefined();
    expect(data(106)).toMatchObject({ action: 'delete', recordId: rows.goneInSt.id });
    expect(data(107)).toMatchObject({ action: 'skip', recordId: rows.conflicted.id });
    expect(data(108)).toMatchObject({ action: 'update', recordId: rows.restored.id, changedFields: [] });
    expect(data(109)).toMatchObject({ action: 'create' });
    expect(data(110)).toMatchObject({
      action: 'conflict',
      autoResolve: 'keep_local',
      recordId: rows.keepLocal.id,
    });
    expect(data(111)).toMatchObject({ action: 'conflict', conflictType: 'both_modified' });
    expect(data(111)?.autoResolve).toBeUndefined();
    expect(data(201)).toMatchObject({
      action: 'update',
      changedFields: ['description'],
      recordId: rows.service.id,
    });
    expect(data(202)).toMatchObject({ action: 'create', entity: 'services' });
  });

  it('makes the same decisions for a redelivered batch, which JetStream then drops as duplicates', async () => {
    const sync = await createSyncLog(world, 'manual');
    await seedRow(world, { stId: 301, st: material(301) });
    await seedRow(world, { stId: 302, st: material(302), localEdit: { code: 'MINE' } });
    const messages = [
      observed(sync, 301, material(301, { price: 11, modifiedOn: t2 })),
      observed(sync, 302, material(302, { price: 11, modifiedOn: t2 })),
      observed(sync, 303, material(303)),
    ];
    const deliveries: number[][] = [];
    const seen: string[][] = [];
    // Every decision the comparator publishes, with JetStream's answer.
    const published: Array<{ id: string; data: unknown; duplicate: boolean }> = [];
    const recordingJs = new Proxy(world.js, {
      get(target, prop, receiver) {
        if (prop !== 'publish') return Reflect.get(target, prop, receiver);
        return async (
          subject: string,
          payload: Uint8Array,
          opts: Parameters<JetStreamClient['publish']>[2],
        ) => {
          const ack: PubAck = await target.publish(subject, payload, opts);
          const message = JSON.parse(new TextDecoder().decode(payload)) as { id: string; data: unknown };
          published.push({ id: message.id, data: message.data, duplicate: ack.duplicate });
          return ack;
        };
      },
    });
    // The first delivery publishes its decisions and then fails as if the process died before
    // the ack; the batch comes back and is compared again.
    const runner = startComparator(
      (inner) => async (batch, ctx) => {
        deliveries.push(batch.map((d) => d.deliveryCount));
        const failures = (await inner(batch, ctx)) as BatchFailures<'record.observed'> | undefined;
        seen.push(batch.map((d) => d.message.id));
        if (deliveries.length === 1) throw new Error('crashed after publishing');
        return failures;
      },
      recordingJs,
    );
    let decided: Message<'record.decided'>[];
    try {
      await publishAll(world.js, messages);
      await until(
        'the batch to be compared twice and acked',
        async () => deliveries.flat().length >= 6 && (await observedSettled(world)),
      );
      decided = await drainDecided(world);
    } finally {
      await runner.stop();
    }
    // The redelivered messages may come back in more than one batch.
    expect(deliveries[0]).toEqual([1, 1, 1]);
    expect(deliveries.slice(1).flat()).toEqual([2, 2, 2]);
    expect(seen.slice(1).flat().sort()).toEqual([...(seen[0] ?? [])].sort());
    expect(decided.map((d) => d.id).sort()).toEqual(messages.map((m) => `${m.id}:decided`).sort());
    const [first, again] = [published.slice(0, 3), published.slice(3)];
    expect(again).toHaveLength(3);
    expect(first.every((p) => !p.duplicate)).toBe(true);
    expect(again.every((p) => p.duplicate)).toBe(true);
    const byId = (list: typeof published) => Object.fromEntries(list.map((p) => [p.id, p.data]));
    expect(byId(again)).toEqual(byId(first));
    expect(decided.map((d) => [d.data.stId, d.data.action]).sort()).toEqual([
      [301, 'update'],
      [302, 'merge'],
      [303, 'create'],
    ]);
  });

  it("compares a record of any tenant against that tenant's own rows", async () => {
    const sync = await createSyncLog(world, 'manual');
    const other = '999';
    // 401 exists only for the test tenant, 402 for the other one: each tenant sees its own rows.
    await seedRow(world, { stId: 401, st: material(401) });
    await seedRow(world, { stId: 402, st: material(402), tenantId: other });
    const runner = startComparator();
    let decided: Message<'record.decided'>[];
    try {
      decided = await compare(
        [
          observed(sync, 401, material(401), { tenant: other }),
          observed(sync, 402, material(402, { price: 12, modifiedOn: t2 }), { tenant: other }),
        ],
        2,
      );
    } finally {
      await runner.stop();
    }
    const rows = await world.orm.em
      .fork()
      .execute<{ reason: string }[]>('select reason from pricebook_dead_letters where tenant_id::text = ?', [
        other,
      ]);
    expect(rows).toEqual([]);
    expect(decided.every((d) => d.tenant === other)).toBe(true);
    expect(decided.map((d) => [d.data.stId, d.data.action]).sort()).toEqual([
      [401, 'create'],
      [402, 'update'],
    ]);
  });
});

describe('the batch handler', () => {
  it('runs one query per (tenant, entity) and one for the sync options, cached afterwards', async () => {
    const [a, b] = [await createSyncLog(world, 'keep_st'), await createSyncLog(world, 'manual')];
    await seedRow(world, { stId: 501, st: material(501) });
    await seedRow(world, { entity: 'services', stId: 601, st: service(601) });
    const batch = [
      observed(a, 501, material(501, { price: 1, modifiedOn: t2 })),
      observed(b, 502, material(502)),
      observed(a, 503, material(503)),
      observed(a, 601, service(601), { entity: 'services' }),
      observed(b, 602, service(602), { entity: 'services' }),
      observed(b, 701, material(701), { entity: 'equipment' }),
    ].map((m, i) => delivery(m, i + 1));
    const handler = comparatorHandler({
      orm: world.orm,
      js: world.js,
      syncOptions: new SyncOptionsCache(silentLog),
      publishConcurrency: 8,
    });
    const ctx = { log: silentLog, stopping: new AbortController().signal };
    const queries = (table: string) => world.sqlLog.filter((line) => line.includes(`from ${table}`)).length;

    world.sqlLog.length = 0;
    const failures = await handler(batch, ctx);
    expect(failures?.size ?? 0).toBe(0);
    expect(queries('pricebook_sync_log')).toBe(1);
    expect(queries('pricebook_materials')).toBe(1);
    expect(queries('pricebook_services')).toBe(1);
    expect(queries('pricebook_equipment')).toBe(1);

    world.sqlLog.length = 0;
    await handler(batch, ctx);
    expect(queries('pricebook_sync_log')).toBe(0);
    expect(queries('pricebook_materials')).toBe(1);

    const decided = await drainDecided(world);
    expect(decided).toHaveLength(batch.length);
    expect(
      decided.map((d) => [d.data.stId, d.data.action]).sort((x, y) => Number(x[0]) - Number(y[0])),
    ).toEqual([
      [501, 'update'],
      [502, 'create'],
      [503, 'create'],
      [601, 'skip'],
      [602, 'create'],
      [701, 'create'],
    ]);
  });
});
