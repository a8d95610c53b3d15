import { parseMessage } from '@pricebook/contracts';
import { publish, publishAll } from '@pricebook/messaging';
import { describe, expect, it } from 'vitest';
import { decided, fence, hashOf, material, T2, T3, until } from '../../test-support';
import { usePipelineWorld } from '../test-support';

// Versions never go backwards: whatever order the versions of one record reach the applier in
// (a record ST changed while the sync read it, redelivered or late decisions), the newest wins,
// and the entity (with its export token) is finished only once that newest version is in.
const h = usePipelineWorld({ fence: { st: false } });

const record = material(7);
const v2 = { ...record, price: 20, modifiedOn: T2 };
const v3 = { ...record, price: 30, modifiedOn: T3 };
const judgedOn = (version: number) => ({ contentHash: hashOf(record), localModifiedAt: null, version });
const ledgerVersions = async (syncId: string) =>
  (
    await h.sql<{ versions: string[] }>(
      `select versions from pricebook_sync_items where sync_log_id = ? and item_key = '7'`,
      [syncId],
    )
  )[0]?.versions;

describe('versions of one record within a sync', () => {
  it('a late older version does not undo a newer one the sync already took, even as a skip', async () => {
    await h.seedRows([record]);
    const syncId = await h.createSync({ syncType: 'incremental' });
    // The newer version was judged first and needed no write (the row already agreed with it).
    await publishAll(h.js, [decided(syncId, 7, { action: 'skip', hash: hashOf(v3), modifiedOn: T3 })]);
    await h.applied();
    await publishAll(h.js, [
      decided(syncId, 7, { action: 'update', record: v2, hash: hashOf(v2), expected: judgedOn(1) }),
    ]);
    await h.applied();

    expect((await h.materialRows()).get(7)).toMatchObject({ data: record, version: 1 });
    expect(await h.count('select count(*) as n from pricebook_changes')).toBe(0);
    expect((await ledgerVersions(syncId))?.sort()).toEqual([T2, T3]);
    expect(await h.drainConsumer('comparator')).toHaveLength(0);
  });

  it('a newer version judged skip against a row an older version has since moved is compared again', async () => {
    await h.seedRows([record]);
    const syncId = await h.createSync({ syncType: 'incremental' });
    await publishAll(h.js, [
      decided(syncId, 7, { action: 'update', record: v2, hash: hashOf(v2), expected: judgedOn(1) }),
    ]);
    await h.applied();
    const skip = decided(syncId, 7, {
      action: 'skip',
      record: v3,
      hash: hashOf(v3),
      modifiedOn: T3,
      expected: judgedOn(1),
    });
    await publishAll(h.js, [skip]);
    await h.applied();

    const back = await h.drainConsumer('comparator');
    expect(back).toHaveLength(1);
    const parsed = parseMessage(back[0]?.subject ?? '', back[0]?.json());
    expect(parsed.success && parsed.message).toMatchObject({
      type: 'record.observed',
      data: { stId: 7, modifiedOn: T3, record: v3 },
    });
    expect(await ledgerVersions(syncId)).toEqual([T2]);
  });

  it('the entity and its export token wait for the newest version of a record seen twice', async () => {
    await h.seedRows([record]);
    const syncId = await h.createSync({ syncType: 'incremental' });
    await publishAll(h.js, [
      decided(syncId, 7, { action: 'update', record: v2, hash: hashOf(v2), expected: judgedOn(1) }),
    ]);
    await h.applied();
    await publish(h.js, fence(syncId, { published: 1, versions: 2, exportToken: 'after-v3' }));
    await until('the fence to be tried again', async () => {
      const info = await h.jsm.consumers.info('PRICEBOOK_PIPELINE', 'applier-fence');
      return info.delivered.consumer_seq >= 3;
    });
    expect((await h.syncLog(syncId)).status).not.toBe('completed');
    expect(await h.count('select count(*) as n from pricebook_sync_state')).toBe(0);

    await publishAll(h.js, [
      decided(syncId, 7, { action: 'update', record: v3, hash: hashOf(v3), expected: judgedOn(2) }),
    ]);
    await until('the sync to complete', async () => (await h.syncLog(syncId)).status === 'completed');
    expect((await h.materialRows()).get(7)?.data).toEqual(v3);
    const state = await h.sql<{ export_token: string }>('select export_token from pricebook_sync_state');
    expect(state).toEqual([{ export_token: 'after-v3' }]);
    expect((await h.syncLog(syncId)).records_updated).toBe(1);
  });

  it('a version older than the row reached through a conflict is not applied', async () => {
    await h.seedRows([record]);
    await h.sql(
      `update pricebook_materials set st_modified_on = ?::timestamptz, content_hash = ?, has_conflict = true,
              sync_status = 'conflict' where st_id = 7`,
      [T3, hashOf(v3)],
    );
    const syncId = await h.createSync({ syncType: 'incremental' });
    await publishAll(h.js, [
      decided(syncId, 7, {
        action: 'conflict',
        conflictType: 'both_modified',
        record: v2,
        hash: hashOf(v2),
        local: record,
        expected: { ...judgedOn(2), contentHash: hashOf(v3) },
      }),
    ]);
    await h.applied();
    expect(await h.count('select count(*) as n from pricebook_sync_conflicts')).toBe(0);
  });
});
