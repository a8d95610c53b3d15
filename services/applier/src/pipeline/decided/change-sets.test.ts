import type { Message } from '@pricebook/contracts';
import { publishAll } from '@pricebook/messaging';
import { claimOutboxBatch, outboxMessage } from '@pricebook/outbox';
import { describe, expect, it } from 'vitest';
import { decided, hashOf, material, T2 } from '../../test-support';
import { usePipelineWorld } from '../test-support';

const h = usePipelineWorld();

type RecordType =
  | 'record.created'
  | 'record.updated'
  | 'record.deleted'
  | 'record.conflicted'
  | 'record.resolved';

/** The record events as the relay would publish them (its claim, its envelope); publishes nothing. */
async function relayedEvents(): Promise<Array<Message<RecordType>>> {
  return h.orm.em.fork().transactional(async (em) => {
    const types: RecordType[] = [
      'record.created',
      'record.updated',
      'record.deleted',
      'record.conflicted',
      'record.resolved',
    ];
    const entries = await claimOutboxBatch(em, 10_000, { types });
    return entries.map((e) => {
      const built = outboxMessage(e);
      if (!built.ok) throw new Error(built.reason);
      return built.message as Message<RecordType>;
    });
  });
}

/** A synced row 5 whose price was then edited locally, ST's newer version, and what the comparator expected. */
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

describe("the sync's change-set on its events", () => {
  it("names on an applied change the sync's change-set, the audit row's", async () => {
    const record = material(7);
    await h.seedRows([record]);
    await h.sql('delete from pricebook_changes');
    await h.sql('delete from pricebook_outbox');
    const syncId = await h.createSync({ syncType: 'incremental' });
    const st = { ...record, price: 30, modifiedOn: T2 };
    await publishAll(h.js, [
      decided(syncId, 7, {
        action: 'update',
        record: st,
        hash: hashOf(st),
        changedFields: ['modifiedOn', 'price'],
        expected: { contentHash: hashOf(record), localModifiedAt: null, version: 1 },
      }),
    ]);
    await h.applied();

    const audit = await h.sql<{ record_id: string; changeset_id: string }>(
      'select record_id, changeset_id from pricebook_changes',
    );
    expect(audit).toEqual([{ record_id: expect.any(String), changeset_id: syncId }]);
    const events = await relayedEvents();
    expect(events.map((e) => [e.type, e.data.recordId, e.data.changeSetId])).toEqual([
      ['record.updated', audit[0]?.record_id, syncId],
    ]);
    const sets = await h.sql('select id, kind from pricebook_changesets');
    expect(sets).toEqual([{ id: syncId, kind: 'sync' }]);
  });

  it("names it on a conflict the sync's strategy settled by writing the row", async () => {
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
        expected,
      }),
    ]);
    await h.applied();

    expect(await h.sql('select changeset_id from pricebook_changes')).toEqual([{ changeset_id: syncId }]);
    const events = await relayedEvents();
    expect(events.map((e) => [e.type, e.data.changeSetId]).sort()).toEqual([
      ['record.resolved', syncId],
      ['record.updated', syncId],
    ]);
  });

  it('names none on a conflict queued for a person, which changed no row', async () => {
    const { base, local, st, expected } = await editedLocally();
    const syncId = await h.createSync({ syncType: 'incremental' });
    await publishAll(h.js, [
      decided(syncId, 5, {
        action: 'conflict',
        conflictType: 'both_modified',
        record: st,
        hash: hashOf(st),
        local,
        base,
        fieldDiff: { price: { base: base.price, st: 20, local: 42 } },
        expected,
      }),
    ]);
    await h.applied();

    const events = await relayedEvents();
    expect(events.map((e) => e.type)).toEqual(['record.conflicted']);
    expect(events[0]?.data).not.toHaveProperty('changeSetId');
    expect(await h.count('select count(*) as n from pricebook_changes')).toBe(0);
  });
});
