import { consumers, subjects } from '@pricebook/contracts';
import { publish, publishAll } from '@pricebook/messaging';
import { describe, expect, it } from 'vitest';
import { createDecision, decided, fence, material, tenant, until } from '../../test-support';
import { usePipelineWorld } from '../test-support';

const h = usePipelineWorld({ fence: { st: true } });

const settled = () => h.settled(consumers.applier, consumers.fence);
const status = async (id: string) => (await h.syncLog(id)).status;
const runLocks = (id: string) =>
  h.count('select count(*) as n from pricebook_sync_runs where sync_log_id = ?', [id]);
const eventTypes = async () =>
  (await h.sql<{ event_type: string }>('select event_type from pricebook_outbox order by seq')).map(
    (e) => e.event_type,
  );
const skip = (syncId: string, stId: number) => decided(syncId, stId, { action: 'skip' });

describe('a fence', () => {
  it('waits for its decisions, then completes the sync', async () => {
    const syncId = await h.createSync();
    await publish(h.js, fence(syncId, { published: 20 }));
    await until('the fence to be tried', async () => {
      const info = await h.jsm.consumers.info('PRICEBOOK_PIPELINE', 'applier-fence');
      return info.delivered.consumer_seq >= 2;
    });
    expect(await status(syncId)).toBe('queued');

    const records = Array.from({ length: 20 }, (_, i) => material(i + 1));
    await publishAll(
      h.js,
      records.map((r) => createDecision(syncId, r)),
    );
    await until('the sync to complete', async () => (await status(syncId)) === 'completed');

    const log = await h.syncLog(syncId);
    expect(log).toMatchObject({ records_fetched: 20, records_created: 20, records_deleted: 0, errors: 0 });
    expect(log.entity_stats).toEqual({ materials: { created: 20, fetched: 20, finished: true } });
    expect(Number(log.duration_ms)).toBeGreaterThanOrEqual(0);
    expect(log.completed_at).not.toBeNull();
    expect(await h.count('select count(*) as n from pricebook_sync_items')).toBe(0);
    expect(await runLocks(syncId)).toBe(0);
    const state = await h.sql('select export_token, last_full_sync_at from pricebook_sync_state');
    expect(state).toHaveLength(1);
    expect(state[0]?.last_full_sync_at).not.toBeNull();
    const types = await eventTypes();
    expect(types.filter((t) => t.startsWith('sync.'))).toEqual(['sync.started', 'sync.completed']);
    const completed = await h.sql<{ payload: Record<string, unknown> }>(
      `select payload from pricebook_outbox where event_type = 'sync.completed'`,
    );
    expect(completed[0]?.payload).toMatchObject({
      syncLogId: syncId,
      status: 'completed',
      stats: { fetched: 20, created: 20, updated: 0, deleted: 0, skipped: 0, conflicts: 0, errors: 0 },
    });

    // The same fence again (a lost ack) changes nothing.
    await h.redeliver(fence(syncId, { published: 20 }), subjects.fence(tenant));
    await settled();
    expect(await h.syncLog(syncId)).toEqual(log);
    expect(await eventTypes()).toEqual(types);
  });

  it('completes a sync only when every entity it covers is finished', async () => {
    const syncId = await h.createSync({ entityTypes: ['categories', 'materials'] });
    await publish(h.js, fence(syncId, { entity: 'categories', published: 0 }));
    await settled();
    expect(await status(syncId)).toBe('running');
    expect(await runLocks(syncId)).toBe(1);
    await publish(h.js, fence(syncId, { entity: 'materials', published: 0 }));
    await until('the sync to complete', async () => (await status(syncId)) === 'completed');
  });
});

describe('the full-sync sweep', () => {
  it('soft-deletes exactly the rows ST no longer has; a local edit becomes a conflict', async () => {
    await h.seedRows(Array.from({ length: 10 }, (_, i) => material(i + 1)));
    await h.sql(`update pricebook_materials set data = jsonb_set(data, '{price}', '1') where st_id = 10`);
    await h.sql(`insert into pricebook_materials (tenant_id, data) values (?, '{"code": "LOCAL-ONLY"}')`, [
      tenant,
    ]);
    await h.sql('delete from pricebook_changes');
    await h.sql('delete from pricebook_outbox');
    const syncId = await h.createSync();
    await publishAll(
      h.js,
      [1, 2, 3, 4, 5, 6].map((i) => skip(syncId, i)),
    );
    await publish(h.js, fence(syncId, { published: 6 }));
    await until('the sync to complete', async () => (await status(syncId)) === 'completed');

    const rows = await h.materialRows();
    const deleted = [...rows.values()].filter((r) => r.deleted_at !== null).map((r) => Number(r.st_id));
    expect(deleted).toEqual([7, 8, 9]);
    expect(rows.get(10)).toMatchObject({ deleted_at: null, has_conflict: true, sync_status: 'conflict' });
    expect(
      await h.count(
        'select count(*) as n from pricebook_materials where st_id is null and deleted_at is null',
      ),
    ).toBe(1);
    const audit = await h.sql<{ operation: string; origin: string; st_id: string }>(
      'select operation, origin, st_id from pricebook_changes order by st_id',
    );
    expect(audit).toEqual(['7', '8', '9'].map((st_id) => ({ operation: 'delete', origin: 'st', st_id })));
    const conflicts = await h.sql('select conflict_type, status, st_version from pricebook_sync_conflicts');
    expect(conflicts).toEqual([
      { conflict_type: 'st_deleted_local_modified', status: 'unresolved', st_version: null },
    ]);
    expect(await h.syncLog(syncId)).toMatchObject({ records_skipped: 6, records_deleted: 3, conflicts: 1 });
    const types = await eventTypes();
    expect(types.filter((t) => t === 'record.deleted')).toHaveLength(3);
    expect(types.filter((t) => t === 'record.conflicted')).toHaveLength(1);
    // The queued conflict changed no row, so its event names no change-set.
    const [opened] = await h.sql<{ payload: Record<string, unknown> }>(
      `select payload from pricebook_outbox where event_type = 'record.conflicted'`,
    );
    expect(opened?.payload).not.toHaveProperty('changeSetId');
  });

  it("names the sync's change-set on a conflict its keep_st strategy settled by deleting the row", async () => {
    await h.seedRows(Array.from({ length: 10 }, (_, i) => material(i + 1)));
    await h.sql(`update pricebook_materials set data = jsonb_set(data, '{price}', '1') where st_id = 10`);
    await h.sql('delete from pricebook_changes');
    await h.sql('delete from pricebook_outbox');
    const syncId = await h.createSync({ options: { resolveConflicts: 'keep_st' } });
    await publishAll(
      h.js,
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => skip(syncId, i)),
    );
    await publish(h.js, fence(syncId, { published: 9 }));
    await until('the sync to complete', async () => (await status(syncId)) === 'completed');

    const audit = await h.sql<{ operation: string; origin: string; changeset_id: string }>(
      'select operation, origin, changeset_id from pricebook_changes',
    );
    expect(audit).toEqual([{ operation: 'delete', origin: 'resolution', changeset_id: syncId }]);
    const resolved = await h.sql<{ payload: Record<string, unknown> }>(
      `select payload from pricebook_outbox where event_type = 'record.resolved'`,
    );
    expect(resolved.map((e) => e.payload.changeSetId)).toEqual([syncId]);
  });

  it('refuses a mass delete, failing the sync and deleting nothing; allowMassDelete lets it through', async () => {
    await h.seedRows(Array.from({ length: 10 }, (_, i) => material(i + 1)));
    const refused = await h.createSync();
    await publishAll(
      h.js,
      [1, 2, 3].map((i) => skip(refused, i)),
    );
    await publish(h.js, fence(refused, { published: 3 }));
    await until('the sync to fail', async () => (await status(refused)) === 'failed');

    const log = await h.syncLog(refused);
    expect(log.error_message).toBe(
      'mass_delete_refused: refusing to delete 7 of 10 live materials (70.0% > 50%): ServiceTitan no longer lists them; run the sync again with allowMassDelete to delete them',
    );
    expect(await h.count('select count(*) as n from pricebook_materials where deleted_at is not null')).toBe(
      0,
    );
    expect(await h.count('select count(*) as n from pricebook_changes')).toBe(0);
    expect(await runLocks(refused)).toBe(0);
    const failed = await h.sql<{ payload: Record<string, unknown> }>(
      `select payload from pricebook_outbox where event_type = 'sync.failed'`,
    );
    expect(failed[0]?.payload).toMatchObject({ status: 'failed', error: { code: 'mass_delete_refused' } });

    const allowed = await h.createSync({ options: { allowMassDelete: true } });
    await publishAll(
      h.js,
      [1, 2, 3].map((i) => skip(allowed, i)),
    );
    await publish(h.js, fence(allowed, { published: 3 }));
    await until('the sync to complete', async () => (await status(allowed)) === 'completed');
    expect(await h.count('select count(*) as n from pricebook_materials where deleted_at is not null')).toBe(
      7,
    );
    expect((await h.syncLog(allowed)).records_deleted).toBe(7);
  });

  it('sweeps nothing when the fetch failed, and fails the sync with the reason', async () => {
    await h.seedRows(Array.from({ length: 4 }, (_, i) => material(i + 1)));
    const syncId = await h.createSync({ entityTypes: ['categories', 'materials'] });
    await publish(
      h.js,
      fence(syncId, {
        published: 0,
        failed: { code: 'upstream_unavailable', message: 'ST did not answer after 8 tries' },
      }),
    );
    await until('the sync to fail', async () => (await status(syncId)) === 'failed');
    expect((await h.syncLog(syncId)).error_message).toBe(
      'upstream_unavailable: materials: ST did not answer after 8 tries',
    );
    expect(await h.count('select count(*) as n from pricebook_materials where deleted_at is not null')).toBe(
      0,
    );
    expect(await runLocks(syncId)).toBe(0);
    expect(await eventTypes()).toEqual(['sync.failed']);
  });

  it('plans the sweep in a dry run without deleting', async () => {
    await h.seedRows(Array.from({ length: 4 }, (_, i) => material(i + 1)));
    const syncId = await h.createSync({ dryRun: true });
    await publishAll(
      h.js,
      [1, 2, 3].map((i) => skip(syncId, i)),
    );
    await publish(h.js, fence(syncId, { published: 3 }));
    await until('the sync to complete', async () => (await status(syncId)) === 'completed');
    expect(await h.count('select count(*) as n from pricebook_materials where deleted_at is not null')).toBe(
      0,
    );
    const plan = await h.sql('select item_key, action, detail from pricebook_sync_items where action = ?', [
      'delete',
    ]);
    expect(plan).toEqual([
      { item_key: '4', action: 'delete', detail: { action: 'delete', reason: 'not_in_st', delete: true } },
    ]);
    expect(await h.syncLog(syncId)).toMatchObject({ records_deleted: 1, records_skipped: 3 });
    expect(await h.count('select count(*) as n from pricebook_sync_state')).toBe(0);
  });
});

describe('an incremental sync', () => {
  it('saves the export token only at the fence', async () => {
    const syncId = await h.createSync({ syncType: 'incremental' });
    const records = [1, 2, 3].map((i) => material(i));
    await publishAll(
      h.js,
      records.map((r) => createDecision(syncId, r)),
    );
    await settled();
    expect(await h.count('select count(*) as n from pricebook_sync_items')).toBe(3);
    expect(await h.count('select count(*) as n from pricebook_sync_state')).toBe(0);

    await publish(h.js, fence(syncId, { published: 3, exportToken: 'token-2' }));
    await until('the sync to complete', async () => (await status(syncId)) === 'completed');
    const state = await h.sql<Record<string, unknown>>('select * from pricebook_sync_state');
    expect(state).toHaveLength(1);
    expect(state[0]).toMatchObject({
      entity_type: 'materials',
      export_token: 'token-2',
      last_full_sync_at: null,
    });
    expect(state[0]?.last_incremental_sync_at).not.toBeNull();
    // An incremental sync never infers deletions.
    expect(await h.count('select count(*) as n from pricebook_materials where deleted_at is not null')).toBe(
      0,
    );
  });
});
