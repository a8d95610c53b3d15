import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createOrm } from './orm';
import { auditRows, copperPipe, databaseForFile, outboxEvents, seedSyncedMaterial } from './test-support';
import { setWriteContext } from './write-context';

let id: string;

const stRecord = copperPipe;

const t = databaseForFile();

/** A synced row as the engine leaves it after a full sync, with the audit tables emptied. */
beforeEach(async () => {
  id = await seedSyncedMaterial(t, stRecord);
});

const changes = () => auditRows(t);
const outbox = () => outboxEvents(t);
const row = async () =>
  (
    await t.sql<{ sync_status: string; local_modified_at: string | null; version: number; price: string }>(
      'select sync_status, local_modified_at, version, price::text as price from pricebook_materials where id = ?',
      [id],
    )
  )[0];

describe('a local edit in plain SQL', () => {
  it('is marked pending and written once to the audit trail and the outbox', async () => {
    const before = await row();
    await t.sql('update pricebook_materials set price = 13.75 where id = ?', [id]);

    const after = await row();
    expect(after?.sync_status).toBe('pending_sync');
    expect(after?.local_modified_at).not.toBeNull();
    expect(after?.version).toBe((before?.version ?? 0) + 1);

    const audit = await changes();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      operation: 'update',
      origin: 'local',
      changed_fields: ['price'],
      record_id: id,
      sync_log_id: null,
    });
    expect(audit[0]?.before?.price).toBe(12.5);
    expect(audit[0]?.after?.price).toBe(13.75);
    expect(audit[0]?.after?.modifiedOn).toBe(stRecord.modifiedOn);

    const events = await outbox();
    expect(events).toHaveLength(1);
    expect(events[0]?.subject).toBe('pricebook.events.42.materials.updated.v1');
    expect(events[0]?.event_type).toBe('record.updated');
    expect(events[0]?.payload).toMatchObject({
      entity: 'materials',
      recordId: id,
      stId: 5001,
      operation: 'updated',
      origin: 'local',
      changedFields: ['price'],
      syncLogId: null,
    });
  });

  it('through data is the same edit as through the typed column', async () => {
    await t.sql(`update pricebook_materials set data = jsonb_set(data, '{price}', '13.75') where id = ?`, [
      id,
    ]);
    expect((await row())?.price).toBe('13.7500');
    expect((await row())?.sync_status).toBe('pending_sync');
    expect((await changes()).map((c) => c.changed_fields)).toEqual([['price']]);
  });

  it('of a row in conflict keeps it in conflict', async () => {
    await t.tx(
      (em) => em.execute(`update pricebook_materials set sync_status = 'conflict', has_conflict = true`),
      {
        origin: 'st',
      },
    );
    await t.sql('update pricebook_materials set price = 20 where id = ?', [id]);
    expect((await row())?.sync_status).toBe('conflict');
    expect(await changes()).toHaveLength(1);
  });

  it('made through the inbound stream counts as local but keeps its origin', async () => {
    await t.tx((em) => em.execute('update pricebook_materials set price = 20'), {
      origin: 'inbound',
      actor: 'n8n',
    });
    expect((await row())?.sync_status).toBe('pending_sync');
    expect(await changes()).toMatchObject([{ origin: 'inbound', actor: 'n8n' }]);
  });

  it('that creates a row makes it pending with a create event', async () => {
    await t.sql(`insert into pricebook_materials (tenant_id, code, price) values (42, 'NEW-1', 3)`);
    const created = await t.sql<{ sync_status: string; data: Record<string, unknown> }>(
      `select sync_status, data from pricebook_materials where code = 'NEW-1'`,
    );
    expect(created[0]).toMatchObject({ sync_status: 'pending_sync', data: { code: 'NEW-1', price: 3 } });
    expect(await changes()).toMatchObject([{ operation: 'create', origin: 'local', before: null }]);
    expect((await outbox())[0]?.subject).toBe('pricebook.events.42.materials.created.v1');
  });
});

describe("the engine's own write", () => {
  it('keeps the sync status the engine sets and is audited with its origin', async () => {
    const syncLogId = randomUUID();
    await t.tx((em) => em.execute('update pricebook_materials set price = 14 where id = ?', [id]), {
      origin: 'st',
      syncLogId,
      actor: 'applier',
    });
    const after = await row();
    expect(after?.sync_status).toBe('synced');
    expect(after?.local_modified_at).toBeNull();

    const audit = await changes();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      origin: 'st',
      changed_fields: ['price'],
      sync_log_id: syncLogId,
      actor: 'applier',
    });
    const events = await outbox();
    expect(events).toHaveLength(1);
    expect(events[0]?.correlation_id).toBe(syncLogId);
    expect(events[0]?.payload).toMatchObject({ origin: 'st', syncLogId, actor: 'applier' });
  });

  it('leaves no setting behind for the next transaction on the same connection', async () => {
    // One connection, so the second statement surely runs where the first transaction did.
    const single = await createOrm(t.db.url, { poolMax: 1 });
    try {
      await single.em.fork().transactional(async (em) => {
        await setWriteContext(em, { origin: 'st', actor: 'applier' });
      });
      await single.em.fork().execute('update pricebook_materials set price = 30 where id = ?', [id]);
    } finally {
      await single.close();
    }
    expect(await changes()).toMatchObject([{ origin: 'local', actor: null }]);
    expect((await row())?.sync_status).toBe('pending_sync');
  });

  it('refuses an unknown origin', async () => {
    await expect(
      t.tx(async (em) => {
        await em.execute(`select set_config('pricebook.origin', 'robot', true)`);
        await em.execute('update pricebook_materials set price = 1');
      }),
    ).rejects.toThrow(/pricebook.origin must be/);
  });
});

describe('writes that change no content', () => {
  it('bookkeeping columns only: no audit row, no event, status untouched', async () => {
    await t.sql(
      `update pricebook_materials set last_synced_at = now(), content_hash = 'abc', base = data, has_conflict = false`,
    );
    expect(await changes()).toHaveLength(0);
    expect(await outbox()).toHaveLength(0);
    expect((await row())?.sync_status).toBe('synced');
  });

  it('the same values again: nothing', async () => {
    await t.sql(`update pricebook_materials set price = 12.5, code = 'CU-12', data = data where id = ?`, [
      id,
    ]);
    await t.sql(`update pricebook_materials set data = ?::jsonb where id = ?`, [
      JSON.stringify(stRecord),
      id,
    ]);
    expect(await changes()).toHaveLength(0);
    expect(await outbox()).toHaveLength(0);
    expect((await row())?.sync_status).toBe('synced');
  });

  it('still bumps the version, so conditional updates see every write', async () => {
    const before = await row();
    await t.sql('update pricebook_materials set last_synced_at = now() where id = ?', [id]);
    expect((await row())?.version).toBe((before?.version ?? 0) + 1);
  });
});

describe('guards', () => {
  it('refuses TRUNCATE, which would skip the audit trail, unless explicitly allowed', async () => {
    await expect(t.sql('truncate pricebook_materials')).rejects.toThrow(/skips the audit trail/);
    await t.tx(async (em) => {
      await em.execute(`select set_config('pricebook.allow_truncate', 'on', true)`);
      await em.execute('truncate pricebook_materials');
    });
    expect(await t.sql('select id from pricebook_materials')).toHaveLength(0);
  });

  it('refuses to move a row to another tenant', async () => {
    await expect(t.sql('update pricebook_materials set tenant_id = 43')).rejects.toThrow(/cannot change/);
  });
});
