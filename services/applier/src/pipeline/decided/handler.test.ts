import { parseMessage, subjects } from '@pricebook/contracts';
import { publishAll } from '@pricebook/messaging';
import { describe, expect, it } from 'vitest';
import { createDecision, decided, hashOf, material, T1, T2, T3, tenant } from '../../test-support';
import { usePipelineWorld } from '../test-support';

const h = usePipelineWorld({ batchSize: 1000 });

const decidedSubject = subjects.pipeline(tenant, 'materials', 'decided');

describe('creates', () => {
  it('makes rows equal to the ST records, with one audit row and one event each, and counts them', async () => {
    const syncId = await h.createSync();
    const records = Array.from({ length: 40 }, (_, i) => material(100 + i));
    await publishAll(
      h.js,
      records.map((r) => createDecision(syncId, r)),
    );
    await h.applied();

    const rows = await h.materialRows();
    expect(rows.size).toBe(40);
    for (const r of records) {
      const row = rows.get(Number(r.id));
      expect(row?.data).toEqual(r);
      expect(row?.base).toEqual(r);
      expect(row).toMatchObject({
        content_hash: hashOf(r),
        sync_status: 'synced',
        has_conflict: false,
        version: 1,
      });
      expect(row?.last_synced_at).not.toBeNull();
    }
    const audit = await h.sql<{ operation: string; origin: string; sync_log_id: string; n: string }>(
      'select operation, origin, sync_log_id, count(*) as n from pricebook_changes group by 1, 2, 3',
    );
    expect(audit).toEqual([{ operation: 'create', origin: 'st', sync_log_id: syncId, n: '40' }]);
    const events = await h.sql<{ event_type: string; n: string }>(
      'select event_type, count(*) as n from pricebook_outbox group by 1 order by 1',
    );
    expect(events).toEqual([
      { event_type: 'record.created', n: '40' },
      { event_type: 'sync.started', n: '1' },
    ]);
    const log = await h.syncLog(syncId);
    expect(log).toMatchObject({
      status: 'running',
      records_created: 40,
      records_updated: 0,
      records_skipped: 0,
    });
    expect(log.started_at).not.toBeNull();
    expect(log.entity_stats).toEqual({ materials: { created: 40 } });
    expect(
      await h.count('select count(*) as n from pricebook_sync_items where sync_log_id = ?', [syncId]),
    ).toBe(40);
  });

  it('changes and counts nothing when the same batch comes again, in another order', async () => {
    const syncId = await h.createSync();
    const messages = Array.from({ length: 30 }, (_, i) => createDecision(syncId, material(200 + i)));
    await publishAll(h.js, messages);
    await h.applied();
    const before = await h.materialRows();
    const logBefore = await h.syncLog(syncId);

    for (const m of [...messages].reverse()) await h.redeliver(m, decidedSubject);
    await h.applied();

    const after = await h.materialRows();
    expect([...after.values()].map((r) => r.version)).toEqual([...before.values()].map((r) => r.version));
    expect(await h.count('select count(*) as n from pricebook_changes')).toBe(30);
    expect(await h.count(`select count(*) as n from pricebook_outbox where event_type like 'record.%'`)).toBe(
      30,
    );
    const logAfter = await h.syncLog(syncId);
    expect(logAfter.records_created).toBe(30);
    expect(logAfter.records_skipped).toBe(0);
    expect(logAfter.entity_stats).toEqual(logBefore.entity_stats);
    expect(await h.drainConsumer('comparator')).toHaveLength(0);
  });
});

describe('updates', () => {
  it('applies a newer version, then ignores an older one arriving late', async () => {
    const old = [1, 2, 3].map((i) => material(i, { modifiedOn: T1 }));
    await h.seedRows(old);
    const syncId = await h.createSync({ syncType: 'incremental' });
    const newer: Record<string, unknown>[] = old.map((r) => ({ ...r, price: 99, modifiedOn: T3 }));
    const older: Record<string, unknown>[] = old.map((r) => ({ ...r, price: 55, modifiedOn: T2 }));
    const update = (r: Record<string, unknown>) =>
      decided(syncId, Number(r.id), {
        action: 'update',
        record: r,
        hash: hashOf(r),
        changedFields: ['price', 'modifiedOn'],
        expected: { contentHash: hashOf(old[0] ?? {}), localModifiedAt: null, version: 1 },
      });
    await publishAll(h.js, newer.map(update));
    await h.applied();
    await publishAll(h.js, older.map(update));
    await h.applied();

    const rows = await h.materialRows();
    for (const r of newer) {
      expect(rows.get(Number(r.id))?.data).toEqual(r);
      expect(rows.get(Number(r.id))?.version).toBe(2);
    }
    expect(await h.count(`select count(*) as n from pricebook_changes where operation = 'update'`)).toBe(3);
    const log = await h.syncLog(syncId);
    expect(log).toMatchObject({ records_updated: 3, records_skipped: 0 });
    expect(await h.drainConsumer('comparator')).toHaveLength(0);
  });

  it('sends a decision back to the comparator when a local edit moved the row, and keeps the edit', async () => {
    const record = material(7);
    await h.seedRows([record]);
    await h.sql(`update pricebook_materials set data = jsonb_set(data, '{price}', '42') where st_id = 7`);
    const syncId = await h.createSync({ syncType: 'incremental' });
    const st = { ...record, price: 30, modifiedOn: T2 };
    const message = decided(syncId, 7, {
      action: 'update',
      record: st,
      hash: hashOf(st),
      expected: { contentHash: hashOf(record), localModifiedAt: null, version: 1 },
    });
    await publishAll(h.js, [message]);
    await h.applied();

    const row = (await h.materialRows()).get(7);
    expect(row).toMatchObject({ sync_status: 'pending_sync', version: 2 });
    expect(row?.data.price).toBe(42);
    const back = await h.drainConsumer('comparator');
    expect(back).toHaveLength(1);
    const parsed = parseMessage(back[0]?.subject ?? '', back[0]?.json());
    expect(parsed.success && parsed.message).toMatchObject({
      id: `${message.causationId}:v2`,
      type: 'record.observed',
      causationId: message.id,
      data: { stId: 7, record: st, hash: hashOf(st), modifiedOn: T2 },
    });
    expect(await h.count('select count(*) as n from pricebook_sync_items')).toBe(0);
    expect((await h.syncLog(syncId)).records_updated).toBe(0);
  });

  it('soft-deletes what ST deleted, and restores it when ST has it again', async () => {
    const record = material(8);
    await h.seedRows([record]);
    const syncId = await h.createSync({ syncType: 'incremental' });
    const expected = { contentHash: hashOf(record), localModifiedAt: null, version: 1 };
    await publishAll(h.js, [
      decided(syncId, 8, { action: 'delete', record, hash: hashOf(record), expected }),
    ]);
    await h.applied();
    expect((await h.materialRows()).get(8)?.deleted_at).not.toBeNull();

    const again = { ...record, modifiedOn: T3 };
    const restore = decided(syncId, 8, {
      action: 'update',
      record: again,
      hash: hashOf(again),
      expected: { ...expected, version: 2 },
    });
    await publishAll(h.js, [restore]);
    await h.applied();
    const row = (await h.materialRows()).get(8);
    expect(row?.deleted_at).toBeNull();
    expect(row?.data).toEqual(again);
    const audit = await h.sql<{ operation: string }>('select operation from pricebook_changes order by seq');
    expect(audit.map((a) => a.operation)).toEqual(['delete', 'restore']);
    // One record in this sync: the restore is the same ledger entry, counted once.
    expect(await h.syncLog(syncId)).toMatchObject({ records_deleted: 1, records_updated: 0 });
  });
});

describe('quarantine and poison', () => {
  it('keeps a quarantined record once and counts it as an error', async () => {
    const syncId = await h.createSync();
    const message = decided(syncId, 0, {
      action: 'quarantine',
      record: { id: 'x', price: 'free' },
      invalid: { reason: 'id: expected number', key: 'invalid:abc123' },
    });
    await publishAll(h.js, [message]);
    await h.applied();
    await h.redeliver(message, decidedSubject);
    await h.applied();

    const kept = await h.sql<{ raw: unknown; reason: string; st_id: string | null }>(
      'select raw, reason, st_id from pricebook_quarantine',
    );
    expect(kept).toEqual([{ raw: { id: 'x', price: 'free' }, reason: 'id: expected number', st_id: null }]);
    const items = await h.sql('select item_key, action from pricebook_sync_items');
    expect(items).toEqual([{ item_key: 'invalid:abc123', action: 'quarantine' }]);
    expect((await h.syncLog(syncId)).errors).toBe(1);
    expect(await h.count('select count(*) as n from pricebook_materials')).toBe(0);
  });

  it('records a poison message and a decision of another tenant than its sync as dead letters', async () => {
    await h.js.publish(decidedSubject, 'not json{');
    const syncId = await h.createSync();
    const foreign = { ...createDecision(syncId, material(1)), tenant: '2002' };
    await h.js.publish(subjects.pipeline('2002', 'materials', 'decided'), JSON.stringify(foreign));
    // The runner takes what matches its filter; the foreign tenant's subject matches it too.
    await h.applied();
    const letters = await h.sql<{ consumer: string; reason: string; tenant_id: string | null }>(
      'select consumer, reason, tenant_id from pricebook_dead_letters order by stream_seq',
    );
    expect(letters).toHaveLength(2);
    expect(letters[0]).toMatchObject({ consumer: 'applier', tenant_id: tenant });
    expect(letters[0]?.reason).toMatch(/^bad_json/);
    expect(letters[1]?.tenant_id).toBe('2002');
    expect(letters[1]?.reason).toMatch(/decision for tenant 2002, but sync .* belongs to tenant 1001/);
    expect(await h.count('select count(*) as n from pricebook_materials')).toBe(0);
  });
});
