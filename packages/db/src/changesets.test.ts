import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { databaseForFile, seedSyncedMaterial } from './test-support';

const t = databaseForFile();
let id: string;

beforeEach(async () => {
  await t.sql('truncate pricebook_changesets');
  id = await seedSyncedMaterial(t, { id: 7101, code: 'CS-1', description: 'valve', price: 20, active: true });
});

const changeSets = () =>
  t.sql<{ id: string; kind: string; actor: string | null; tenant_id: string }>(
    'select id, kind, actor, tenant_id::text as tenant_id from pricebook_changesets order by created_at',
  );
const audit = () =>
  t.sql<{ changeset_id: string | null; origin: string }>(
    `select changeset_id, origin from pricebook_changes where record_id = ? and operation = 'update' order by seq`,
    [id],
  );

describe('change-sets', () => {
  it('are created with their first audit row, in the same transaction, and carried by every row', async () => {
    const changeSet = { id: randomUUID(), kind: 'bulk_edit' as const };
    await t.tx(
      async (em) => {
        await em.execute('update pricebook_materials set price = 21 where id = ?', [id]);
        await em.execute('update pricebook_materials set price = 22 where id = ?', [id]);
      },
      { origin: 'local', actor: 'api:operator:abc', changeSet },
    );
    expect(await changeSets()).toEqual([
      { id: changeSet.id, kind: 'bulk_edit', actor: 'api:operator:abc', tenant_id: '42' },
    ]);
    expect(await audit()).toEqual([
      { changeset_id: changeSet.id, origin: 'local' },
      { changeset_id: changeSet.id, origin: 'local' },
    ]);
  });

  it("are a sync's own (id = the sync id) when a sync writes without naming one", async () => {
    const syncLogId = randomUUID();
    await t.tx((em) => em.execute('update pricebook_materials set price = 23 where id = ?', [id]), {
      origin: 'st',
      syncLogId,
      actor: 'applier',
    });
    expect(await changeSets()).toMatchObject([{ id: syncLogId, kind: 'sync', actor: 'applier' }]);
    expect(await audit()).toEqual([{ changeset_id: syncLogId, origin: 'st' }]);
  });

  it('are not made by a write that changes nothing, and not by a bare SQL edit', async () => {
    await t.tx((em) => em.execute('update pricebook_materials set price = 20 where id = ?', [id]), {
      origin: 'local',
      changeSet: { id: randomUUID(), kind: 'edit' },
    });
    expect(await changeSets()).toEqual([]);
    await t.sql('update pricebook_materials set price = 24 where id = ?', [id]);
    expect(await changeSets()).toEqual([]);
    expect(await audit()).toEqual([{ changeset_id: null, origin: 'local' }]);
  });

  it("take the origin 'revert' as a local edit: audited, announced and pending", async () => {
    await t.tx((em) => em.execute('update pricebook_materials set price = 19 where id = ?', [id]), {
      origin: 'revert',
      actor: 'api:operator:abc',
      changeSet: { id: randomUUID(), kind: 'revert' },
    });
    const [row] = await t.sql<{ sync_status: string; pending: boolean }>(
      'select sync_status, local_modified_at is not null as pending from pricebook_materials where id = ?',
      [id],
    );
    expect(row).toEqual({ sync_status: 'pending_sync', pending: true });
    expect(await audit()).toMatchObject([{ origin: 'revert' }]);
    const [event] = await t.sql<{ event_type: string }>(
      `select event_type from pricebook_outbox where payload->>'recordId' = ? order by seq desc limit 1`,
      [id],
    );
    expect(event?.event_type).toBe('record.updated');
  });
});
