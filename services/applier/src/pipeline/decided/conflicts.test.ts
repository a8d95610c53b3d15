import { subjects } from '@pricebook/contracts';
import { publishAll } from '@pricebook/messaging';
import { describe, expect, it } from 'vitest';
import { createDecision, decided, hashOf, material, T2, tenant } from '../../test-support';
import { usePipelineWorld } from '../test-support';

const h = usePipelineWorld();

const decidedSubject = subjects.pipeline(tenant, 'materials', 'decided');

/** A synced row 5 whose price was then edited locally (version 2, pending), and ST's newer version. */
async function editedLocally() {
  const base = material(5);
  await h.seedRows([base]);
  await h.sql(`update pricebook_materials set data = jsonb_set(data, '{price}', '42') where st_id = 5`);
  await h.sql('delete from pricebook_changes');
  await h.sql('delete from pricebook_outbox');
  const local = { ...base, price: 42 };
  const st = { ...base, cost: 5.5, price: 20, modifiedOn: T2 };
  const expected = { contentHash: hashOf(base), localModifiedAt: null, version: 2 };
  return { base, local, st, expected };
}

describe('merges and conflicts', () => {
  it('writes a merge as the merged record with ST as base, still pending', async () => {
    const { base, local, st, expected } = await editedLocally();
    const merged = { ...st, price: 42 };
    const syncId = await h.createSync({ syncType: 'incremental' });
    await publishAll(h.js, [
      decided(syncId, 5, { action: 'merge', record: st, hash: hashOf(st), local: merged, base, expected }),
    ]);
    await h.applied();

    const row = (await h.materialRows()).get(5);
    expect(row).toMatchObject({
      data: merged,
      base: st,
      content_hash: hashOf(st),
      sync_status: 'pending_sync',
    });
    const audit = await h.sql<{ origin: string; changed_fields: string[] }>(
      'select origin, changed_fields from pricebook_changes',
    );
    expect(audit).toEqual([{ origin: 'merge', changed_fields: ['cost', 'modifiedOn'] }]);
    expect(local.price).toBe(42);
    expect((await h.syncLog(syncId)).records_updated).toBe(1);
  });

  it('queues a manual conflict once: row flagged, conflict stored, one conflicted event', async () => {
    const { base, local, st, expected } = await editedLocally();
    const syncId = await h.createSync({ syncType: 'incremental' });
    const fieldDiff = { price: { base: base.price, st: 20, local: 42 } };
    const message = decided(syncId, 5, {
      action: 'conflict',
      conflictType: 'both_modified',
      record: st,
      hash: hashOf(st),
      local,
      base,
      fieldDiff,
      expected,
    });
    await publishAll(h.js, [message]);
    await h.applied();
    await h.redeliver(message, decidedSubject);
    await h.applied();

    const row = (await h.materialRows()).get(5);
    expect(row).toMatchObject({ data: local, base, has_conflict: true, sync_status: 'conflict' });
    const conflicts = await h.sql('select * from pricebook_sync_conflicts');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      record_id: row?.id,
      st_id: '5',
      conflict_type: 'both_modified',
      status: 'unresolved',
      st_version: st,
      local_version: local,
      base_version: base,
      field_diff: fieldDiff,
      sync_log_id: syncId,
    });
    const events = await h.sql<{ subject: string; payload: Record<string, unknown>; causation_id: string }>(
      `select subject, payload, causation_id from pricebook_outbox where event_type = 'record.conflicted'`,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      subject: `pricebook.events.${tenant}.materials.conflicted.v1`,
      causation_id: message.id,
      payload: {
        recordId: row?.id,
        stId: 5,
        operation: 'conflicted',
        conflictId: conflicts[0]?.id,
        conflictType: 'both_modified',
        before: local,
        after: st,
        changedFields: ['price'],
      },
    });
    expect(await h.count('select count(*) as n from pricebook_changes')).toBe(0);
    expect((await h.syncLog(syncId)).conflicts).toBe(1);
  });

  it('settles a conflict with keep_st: ST wins, the conflict is recorded resolved', async () => {
    const { base, local, st, expected } = await editedLocally();
    const syncId = await h.createSync({ syncType: 'incremental', options: { resolveConflicts: 'keep_st' } });
    await publishAll(h.js, [
      decided(syncId, 5, {
        action: 'conflict',
        conflictType: 'both_modified',
        autoResolve: 'keep_st',
        record: st,
        hash: hashOf(st),
        local,
        base,
        fieldDiff: { price: { base: base.price, st: 20, local: 42 } },
        expected,
      }),
    ]);
    await h.applied();

    const row = (await h.materialRows()).get(5);
    expect(row).toMatchObject({ data: st, base: st, has_conflict: false, sync_status: 'synced' });
    const conflicts = await h.sql(
      'select status, resolution, resolved_by, resolved_data from pricebook_sync_conflicts',
    );
    expect(conflicts).toEqual([
      { status: 'resolved', resolution: 'keep_st', resolved_by: `sync:${syncId}`, resolved_data: st },
    ]);
    const audit = await h.sql<{ origin: string }>('select origin from pricebook_changes');
    expect(audit).toEqual([{ origin: 'resolution' }]);
    const types = await h.sql<{ event_type: string }>(
      `select event_type from pricebook_outbox where event_type like 'record.%' order by seq`,
    );
    expect(types.map((t) => t.event_type).sort()).toEqual(['record.resolved', 'record.updated']);
  });

  it('settles a conflict with keep_local: the local side wins the disputed field, ST keeps its undisputed change, pending, ST becomes the base', async () => {
    const { base, local, st, expected } = await editedLocally();
    const syncId = await h.createSync({
      syncType: 'incremental',
      options: { resolveConflicts: 'keep_local' },
    });
    await publishAll(h.js, [
      decided(syncId, 5, {
        action: 'conflict',
        conflictType: 'both_modified',
        autoResolve: 'keep_local',
        record: st,
        hash: hashOf(st),
        local,
        base,
        expected,
      }),
    ]);
    await h.applied();

    // price was disputed (local wins); cost only ST changed, so ST's cost stays.
    const kept = { ...st, price: 42 };
    const row = (await h.materialRows()).get(5);
    expect(row).toMatchObject({
      data: kept,
      base: st,
      content_hash: hashOf(st),
      has_conflict: false,
      sync_status: 'pending_sync',
    });
    const conflicts = await h.sql('select status, resolution, resolved_data from pricebook_sync_conflicts');
    expect(conflicts).toEqual([{ status: 'resolved', resolution: 'keep_local', resolved_data: kept }]);
    const audit = await h.sql<{ origin: string }>('select origin from pricebook_changes');
    expect(audit).toEqual([{ origin: 'resolution' }]);
    const types = await h.sql<{ event_type: string }>(
      `select event_type from pricebook_outbox where event_type like 'record.%' order by seq`,
    );
    expect(types.map((t) => t.event_type).sort()).toEqual(['record.resolved', 'record.updated']);
  });
});

describe('a dry run', () => {
  it('writes only the ledger (with an exact plan) and the sync log', async () => {
    const existing = material(1);
    await h.seedRows([existing]);
    const syncId = await h.createSync({ dryRun: true });
    const fresh = material(2);
    const changed = { ...existing, price: 12.5, description: null, modifiedOn: T2 };
    await publishAll(h.js, [
      createDecision(syncId, fresh),
      decided(syncId, 1, {
        action: 'update',
        record: changed,
        hash: hashOf(changed),
        expected: { contentHash: hashOf(existing), localModifiedAt: null, version: 1 },
      }),
      decided(syncId, 3, {
        action: 'quarantine',
        record: { id: 3 },
        invalid: { reason: 'no code', key: '3' },
      }),
    ]);
    await h.applied();

    const rows = await h.materialRows();
    expect([...rows.keys()]).toEqual([1]);
    expect(rows.get(1)?.data).toEqual(existing);
    for (const table of [
      'pricebook_changes',
      'pricebook_sync_conflicts',
      'pricebook_quarantine',
      'pricebook_sync_state',
    ]) {
      expect(await h.count(`select count(*) as n from ${table}`)).toBe(0);
    }
    const outbox = await h.sql<{ event_type: string }>('select event_type from pricebook_outbox');
    expect(outbox).toEqual([{ event_type: 'sync.started' }]);

    const plan = new Map(
      (
        await h.sql<{ item_key: string; detail: unknown }>(
          'select item_key, detail from pricebook_sync_items',
        )
      ).map((r) => [r.item_key, r.detail]),
    );
    expect(plan.get('1')).toEqual({
      action: 'update',
      decision: 'update',
      changes: {
        description: { before: 'copper fitting', after: null },
        modifiedOn: { before: existing.modifiedOn, after: T2 },
        price: { before: 11, after: 12.5 },
      },
    });
    expect(plan.get('2')).toEqual({
      action: 'create',
      decision: 'create',
      changes: Object.fromEntries(Object.entries(fresh).map(([k, v]) => [k, { before: null, after: v }])),
    });
    expect(plan.get('3')).toEqual({ action: 'quarantine', decision: 'quarantine', reason: 'no code' });
    expect(await h.syncLog(syncId)).toMatchObject({
      status: 'running',
      records_created: 1,
      records_updated: 1,
      errors: 1,
    });
  });
});
