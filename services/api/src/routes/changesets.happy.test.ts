import {
  BulkEditResponse,
  ChangeSetResponse,
  ChangeSetsResponse,
  type RevertResponse,
  RevertResponse as RevertSchema,
} from '@pricebook/contracts';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { engineWrite, insertSyncLog } from '../test-support/changes';
import { seedMaterials, stMaterial } from '../test-support/pricebook';

const h = forFile(() => startHarness());

interface Bulk {
  changeSetId: string | null;
  changed: number;
  items: Array<{ id: string; syncStatus: string; record: Record<string, unknown> }>;
}
interface ChangeSetBody {
  id: string;
  kind: string;
  actor: string | null;
  entityTypes: string[];
  counts: Record<string, number>;
  revertsChangeSetId: string | null;
  revertedByChangeSetId: string | null;
}

const prices = (tenant: string) =>
  h.sql<{ id: string; price: string; sync_status: string }>(
    `select id, data->>'price' as price, sync_status from pricebook_materials where tenant_id = ? order by st_id`,
    [tenant],
  );

async function bulk(tenant: string, items: Array<{ id: string; fields: Record<string, unknown> }>) {
  const res = await call<Bulk>(h.app({ tenantId: tenant }), 'POST', '/api/pricebook/materials/bulk', {
    key: keys.operator,
    body: { items },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const revert = (tenant: string, id: string, body?: Record<string, unknown>) =>
  call<RevertResponse>(h.app({ tenantId: tenant }), 'POST', `/api/changesets/${id}/revert`, {
    key: keys.operator,
    ...(body ? { body } : {}),
  });

describe('POST /api/pricebook/{entity}/bulk', () => {
  it('changes every row in one transaction, as one change-set of kind bulk_edit', async () => {
    const tenant = h.tenant();
    const ids = await seedMaterials(h, tenant, [stMaterial(1), stMaterial(2), stMaterial(3)]);
    const body = await bulk(tenant, [
      { id: 'st:1', fields: { price: 11 } },
      { id: ids[1] ?? '', fields: { price: 12 } },
      { id: 'st:3', fields: { price: 10 } },
    ]);
    expect(BulkEditResponse.safeParse(body).error).toBeUndefined();
    expect(body.changed).toBe(2);
    expect(body.items.map((i) => i.record.price)).toEqual([11, 12, 10]);
    expect(await prices(tenant)).toMatchObject([
      { price: '11', sync_status: 'pending_sync' },
      { price: '12', sync_status: 'pending_sync' },
      { price: '10', sync_status: 'synced' },
    ]);
    const audit = await h.sql<{ changeset_id: string; origin: string }>(
      'select changeset_id, origin from pricebook_changes where tenant_id = ?',
      [tenant],
    );
    expect(audit).toEqual([
      { changeset_id: body.changeSetId, origin: 'local' },
      { changeset_id: body.changeSetId, origin: 'local' },
    ]);
  });
});

describe('GET /api/changesets', () => {
  it('lists sync runs, single edits and bulk edits, newest first, with counts and filters', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const ids = await seedMaterials(h, tenant, [stMaterial(1), stMaterial(2)]);
    const syncLogId = await insertSyncLog(h, tenant);
    await engineWrite(h, ids, { description: 'from ST' }, { origin: 'st', syncLogId, actor: 'applier' });
    const edit = await call(app, 'PATCH', `/api/pricebook/materials/${ids[0]}`, {
      key: keys.operator,
      body: { price: 15 },
    });
    expect(edit.status).toBe(200);
    const edited = await bulk(tenant, [
      { id: 'st:1', fields: { price: 16 } },
      { id: 'st:2', fields: { price: 17 } },
    ]);

    const res = await call<{ changeSets: ChangeSetBody[] }>(app, 'GET', '/api/changesets', {
      key: keys.viewer,
    });
    expect(res.status).toBe(200);
    expect(ChangeSetsResponse.safeParse(res.body).error).toBeUndefined();
    expect(res.body.changeSets.map((s) => s.kind)).toEqual(['bulk_edit', 'edit', 'sync']);
    const [b, e, s] = res.body.changeSets;
    expect(b).toMatchObject({
      id: edited.changeSetId,
      actor: expect.stringMatching(/^api:operator:/),
      entityTypes: ['materials'],
      counts: { changes: 2, records: 2, updated: 2, created: 0, deleted: 0, restored: 0 },
      revertsChangeSetId: null,
      revertedByChangeSetId: null,
    });
    expect(e?.counts.changes).toBe(1);
    expect(s).toMatchObject({ id: syncLogId, actor: 'applier', counts: { changes: 2 } });

    const byKind = await call<{ changeSets: ChangeSetBody[] }>(app, 'GET', '/api/changesets?kind=sync', {
      key: keys.viewer,
    });
    expect(byKind.body.changeSets.map((c) => c.id)).toEqual([syncLogId]);
    const byActor = await call<{ changeSets: ChangeSetBody[] }>(app, 'GET', '/api/changesets?actor=applier', {
      key: keys.viewer,
    });
    expect(byActor.body.changeSets.map((c) => c.id)).toEqual([syncLogId]);
    const otherEntity = await call<{ changeSets: ChangeSetBody[] }>(
      app,
      'GET',
      '/api/changesets?entity=services',
      { key: keys.viewer },
    );
    expect(otherEntity.body.changeSets).toEqual([]);
    const future = await call<{ changeSets: ChangeSetBody[] }>(
      app,
      'GET',
      '/api/changesets?since=2999-01-01T00:00:00Z',
      { key: keys.viewer },
    );
    expect(future.body.changeSets).toEqual([]);
    const past = await call<{ changeSets: ChangeSetBody[] }>(
      app,
      'GET',
      '/api/changesets?until=2000-01-01T00:00:00Z',
      {
        key: keys.viewer,
      },
    );
    expect(past.body.changeSets).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=1&cursor=${cursor}` : '?limit=1';
      const page = await call<{ changeSets: ChangeSetBody[]; page: { nextCursor: string | null } }>(
        app,
        'GET',
        `/api/changesets${query}`,
        { key: keys.viewer },
      );
      seen.push(...page.body.changeSets.map((c) => c.kind));
      cursor = page.body.page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['bulk_edit', 'edit', 'sync']);
  });

  it('shows one change-set with its changes in order, paged', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    await seedMaterials(h, tenant, [stMaterial(1), stMaterial(2), stMaterial(3)]);
    const edited = await bulk(tenant, [
      { id: 'st:1', fields: { price: 21 } },
      { id: 'st:2', fields: { price: 22 } },
      { id: 'st:3', fields: { price: 23 } },
    ]);
    const first = await call<{
      changes: Array<{ after: { price: number }; changeSetId: string }>;
      page: { nextCursor: string };
    }>(app, 'GET', `/api/changesets/${edited.changeSetId}?limit=2`, { key: keys.viewer });
    expect(first.status).toBe(200);
    expect(ChangeSetResponse.safeParse(first.body).error).toBeUndefined();
    expect(first.body.changes.map((c) => c.after.price)).toEqual([21, 22]);
    expect(first.body.changes[0]?.changeSetId).toBe(edited.changeSetId);
    const second = await call<{
      changes: Array<{ after: { price: number } }>;
      page: { nextCursor: string | null };
    }>(app, 'GET', `/api/changesets/${edited.changeSetId}?limit=2&cursor=${first.body.page.nextCursor}`, {
      key: keys.viewer,
    });
    expect(second.body.changes.map((c) => c.after.price)).toEqual([23]);
    expect(second.body.page.nextCursor).toBeNull();
  });
});

describe('POST /api/changesets/{id}/revert', () => {
  it('dry run by default: says what it would do and writes nothing', async () => {
    const tenant = h.tenant();
    await seedMaterials(h, tenant, [stMaterial(1, { price: 10 }), stMaterial(2, { price: 20 })]);
    const edited = await bulk(tenant, [
      { id: 'st:1', fields: { price: 11 } },
      { id: 'st:2', fields: { price: 22 } },
    ]);
    const before = await h.sql('select * from pricebook_changes where tenant_id = ? order by seq', [tenant]);
    const outbox = await h.sql('select id from pricebook_outbox where tenant_id = ?', [tenant]);

    const dry = await revert(tenant, edited.changeSetId ?? '');
    expect(dry.status).toBe(200);
    expect(RevertSchema.safeParse(dry.body).error).toBeUndefined();
    expect(dry.body).toMatchObject({
      dryRun: true,
      changeSetId: null,
      revertsChangeSetId: edited.changeSetId,
    });
    expect(dry.body.reverted.map((r) => [r.stId, r.action, r.fields, r.values])).toEqual([
      [1, 'update', ['price'], { price: 10 }],
      [2, 'update', ['price'], { price: 20 }],
    ]);
    expect(dry.body.skipped).toEqual([]);

    expect(await prices(tenant)).toMatchObject([{ price: '11' }, { price: '22' }]);
    expect(await h.sql('select * from pricebook_changes where tenant_id = ? order by seq', [tenant])).toEqual(
      before,
    );
    expect(await h.sql('select id from pricebook_outbox where tenant_id = ?', [tenant])).toEqual(outbox);
    const sets = await h.sql(
      'select kind, reverted_by_changeset_id from pricebook_changesets where tenant_id = ?',
      [tenant],
    );
    expect(sets).toEqual([{ kind: 'bulk_edit', reverted_by_changeset_id: null }]);

    const explicit = await revert(tenant, edited.changeSetId ?? '', { dryRun: true });
    expect(explicit.body).toEqual(dry.body);
  });

  it('writes the before-values back as a linked revert change-set, skips a row edited since, and is done once', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const ids = await seedMaterials(h, tenant, [
      stMaterial(1, { price: 10 }),
      stMaterial(2, { price: 20 }),
      stMaterial(3, { price: 30 }),
    ]);
    const edited = await bulk(tenant, [
      { id: 'st:1', fields: { price: 11, description: 'bulk' } },
      { id: 'st:2', fields: { price: 22 } },
      { id: 'st:3', fields: { price: 33 } },
    ]);
    // Someone edits row 2's price after the bulk edit, and row 3's description only.
    await call(app, 'PATCH', `/api/pricebook/materials/${ids[1]}`, {
      key: keys.operator,
      body: { price: 25 },
    });
    await call(app, 'PATCH', `/api/pricebook/materials/${ids[2]}`, {
      key: keys.operator,
      body: { description: 'later' },
    });
    const dry = await revert(tenant, edited.changeSetId ?? '');

    const res = await revert(tenant, edited.changeSetId ?? '', { dryRun: false });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect({ ...res.body, changeSetId: null, dryRun: true }).toEqual(dry.body);
    expect(res.body.reverted.map((r) => [r.stId, r.fields])).toEqual([
      [1, ['description', 'price']],
      [3, ['price']],
    ]);
    expect(res.body.skipped).toMatchObject([
      { stId: 2, fields: ['price'], reason: 'changed_since', laterChangeId: expect.any(String) },
    ]);
    expect(await prices(tenant)).toMatchObject([
      { price: '10', sync_status: 'pending_sync' },
      { price: '25', sync_status: 'pending_sync' },
      { price: '30', sync_status: 'pending_sync' },
    ]);
    const [row1] = await h.sql<{ data: Record<string, unknown> }>(
      'select data from pricebook_materials where id = ?',
      [ids[0]],
    );
    expect(row1?.data.description).toBe('copper fitting');
    const [row3] = await h.sql<{ data: Record<string, unknown> }>(
      'select data from pricebook_materials where id = ?',
      [ids[2]],
    );
    expect(row3?.data.description).toBe('later');

    const revertId = res.body.changeSetId;
    const audit = await h.sql<{ origin: string; actor: string; changeset_id: string }>(
      `select origin, actor, changeset_id from pricebook_changes where changeset_id = ? order by seq`,
      [revertId],
    );
    expect(audit).toEqual([
      { origin: 'revert', actor: expect.stringMatching(/^api:operator:/), changeset_id: revertId },
      { origin: 'revert', actor: expect.stringMatching(/^api:operator:/), changeset_id: revertId },
    ]);
    const original = await call<{ changeSet: ChangeSetBody }>(
      app,
      'GET',
      `/api/changesets/${edited.changeSetId}`,
      {
        key: keys.viewer,
      },
    );
    expect(original.body.changeSet.revertedByChangeSetId).toBe(revertId);
    const undo = await call<{ changeSet: ChangeSetBody }>(app, 'GET', `/api/changesets/${revertId}`, {
      key: keys.viewer,
    });
    expect(undo.body.changeSet).toMatchObject({
      kind: 'revert',
      actor: expect.stringMatching(/^api:operator:/),
      revertsChangeSetId: edited.changeSetId,
      counts: { changes: 2, updated: 2 },
    });
    const [event] = await h.sql<{ subject: string; payload: Record<string, unknown> }>(
      `select subject, payload from pricebook_outbox where event_type = 'changeset.reverted' and tenant_id = ?`,
      [tenant],
    );
    expect(event).toEqual({
      subject: `pricebook.events.${tenant}.changeset.reverted.v1`,
      payload: {
        changeSetId: revertId,
        revertsChangeSetId: edited.changeSetId,
        revertedKind: 'bulk_edit',
        actor: expect.stringMatching(/^api:operator:/),
        reverted: 2,
        skipped: 1,
        entityTypes: ['materials'],
      },
    });

    const again = await revert(tenant, edited.changeSetId ?? '', { dryRun: false });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await prices(tenant)).toMatchObject([{ price: '10' }, { price: '25' }, { price: '30' }]);
  });

  it('deletes rows the change-set created and restores rows it deleted', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const [gone = ''] = await seedMaterials(h, tenant, [stMaterial(1)]);
    const created = await call<{ item: { id: string } }>(app, 'POST', '/api/pricebook/materials', {
      key: keys.operator,
      body: { code: 'NEW-1', description: 'new' },
    });
    const deleted = await call(app, 'DELETE', `/api/pricebook/materials/${gone}`, { key: keys.operator });
    expect(deleted.status).toBe(204);
    const sets = await h.sql<{ changeset_id: string; record_id: string }>(
      'select changeset_id, record_id from pricebook_changes where tenant_id = ? order by seq',
      [tenant],
    );
    const [createSet, deleteSet] = sets.map((s) => s.changeset_id);

    const undoCreate = await revert(tenant, createSet ?? '', { dryRun: false });
    expect(undoCreate.body.reverted).toMatchObject([{ recordId: created.body.item.id, action: 'delete' }]);
    const undoDelete = await revert(tenant, deleteSet ?? '', { dryRun: false });
    expect(undoDelete.body.reverted).toMatchObject([{ recordId: gone, action: 'restore' }]);
    const rows = await h.sql<{ id: string; deleted: boolean; sync_status: string }>(
      `select id, deleted_at is not null as deleted, sync_status from pricebook_materials where tenant_id = ?`,
      [tenant],
    );
    expect(rows.find((r) => r.id === created.body.item.id)?.deleted).toBe(true);
    expect(rows.find((r) => r.id === gone)).toMatchObject({ deleted: false, sync_status: 'pending_sync' });
  });
});
