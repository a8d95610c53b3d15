import { ChangesResponse, type PricebookChange, PricebookHistoryResponse } from '@pricebook/contracts';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { engineWrite, insertSyncLog } from '../test-support/changes';
import { seedMaterials, stMaterial } from '../test-support/pricebook';

const h = forFile(() => startHarness());

interface Page {
  changes: PricebookChange[];
  page: { limit: number; nextCursor: string | null };
}
interface History extends Page {
  entity: string;
  recordId: string;
  stId: number | null;
}

const history = (tenant: string, id: string, query = '') =>
  call<History>(h.app({ tenantId: tenant }), 'GET', `/api/pricebook/materials/${id}/history${query}`, {
    key: keys.viewer,
  });
const changes = (tenant: string, query = '') =>
  call<Page>(h.app({ tenantId: tenant }), 'GET', `/api/changes${query}`, { key: keys.viewer });

/** Every change of a listing, following `nextCursor`; `between` runs after each page. */
async function readAll(
  read: (cursor: string | null) => Promise<Page>,
  between: () => Promise<void> = async () => {},
): Promise<PricebookChange[][]> {
  const pages: PricebookChange[][] = [];
  let cursor: string | null = null;
  do {
    const page = await read(cursor);
    pages.push(page.changes);
    cursor = page.page.nextCursor;
    await between();
  } while (cursor);
  return pages;
}

describe('GET /api/pricebook/{entity}/{id}/history', () => {
  it('shows a local edit and the sync change after it, the last first, with before and after', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const [id = ''] = await seedMaterials(h, tenant, [stMaterial(48213, { price: 10 })]);
    const patched = await call(app, 'PATCH', `/api/pricebook/materials/${id}`, {
      key: keys.operator,
      body: { price: 12.5 },
    });
    expect(patched.status).toBe(200);
    const syncLogId = await insertSyncLog(h, tenant);
    await engineWrite(
      h,
      [id],
      { description: 'copper fitting, lead free' },
      {
        origin: 'st',
        syncLogId,
        actor: 'applier',
      },
    );

    const res = await history(tenant, id);
    expect(res.status).toBe(200);
    expect(PricebookHistoryResponse.safeParse(res.body).error).toBeUndefined();
    expect(res.body).toMatchObject({ entity: 'materials', recordId: id, stId: 48213 });
    const [sync, local] = res.body.changes;
    expect(res.body.changes).toHaveLength(2);
    expect(sync).toMatchObject({
      entity: 'materials',
      recordId: id,
      stId: 48213,
      operation: 'update',
      origin: 'st',
      actor: 'applier',
      syncLogId,
      changedFields: ['description'],
      before: { description: 'copper fitting', price: 12.5 },
      after: { description: 'copper fitting, lead free', price: 12.5 },
    });
    expect(local).toMatchObject({
      operation: 'update',
      origin: 'local',
      actor: expect.stringMatching(/^api:operator/),
      syncLogId: null,
      changedFields: ['price'],
      before: { price: 10 },
      after: { price: 12.5 },
    });
    // Each change starts where the one below it ended.
    expect(sync?.before).toEqual(local?.after);
    expect(Date.parse(sync?.occurredAt ?? '')).toBeGreaterThanOrEqual(Date.parse(local?.occurredAt ?? ''));

    const bySt = await history(tenant, 'st:48213');
    expect(bySt.body).toEqual(res.body);
  });

  it('keeps the history of a deleted row: soft-deleted by st id, removed by SQL by its uuid', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const [soft = '', gone = ''] = await seedMaterials(h, tenant, [stMaterial(1), stMaterial(2)]);
    const del = await call(app, 'DELETE', '/api/pricebook/materials/st:1', { key: keys.operator });
    expect(del.status).toBe(204);
    const deleted = await history(tenant, 'st:1');
    expect(deleted.status).toBe(200);
    expect(deleted.body.recordId).toBe(soft);
    expect(deleted.body.changes.map((c) => c.operation)).toEqual(['delete']);

    await h.sql('delete from pricebook_materials where id = ?', [gone]);
    const removed = await history(tenant, gone);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ recordId: gone, stId: 2 });
    expect(removed.body.changes).toMatchObject([{ operation: 'delete', before: { id: 2 }, after: null }]);
  });

  it('pages through a long history exactly once, the last change first', async () => {
    const tenant = h.tenant();
    const [id = ''] = await seedMaterials(h, tenant, [stMaterial(7)]);
    for (let price = 1; price <= 7; price++) await engineWrite(h, [id], { price }, { origin: 'st' });
    const pages = await readAll(async (cursor) => {
      const res = await history(tenant, id, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.page.limit).toBe(3);
      return res.body;
    });
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat().map((c) => c.after?.price)).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });
});

describe('GET /api/changes', () => {
  it('pages newest first with no repeat and no gap while changes are written between pages', async () => {
    const tenant = h.tenant();
    const ids = await seedMaterials(
      h,
      tenant,
      Array.from({ length: 12 }, (_, i) => stMaterial(100 + i)),
    );
    // One statement: twelve audit rows with the same created_at, so the keyset's tie-break counts.
    await engineWrite(h, ids, { price: 20 }, { origin: 'st' });
    for (const id of ids.slice(0, 6)) await engineWrite(h, [id], { price: 21 }, { origin: 'st' });
    const before = (await changes(tenant, '?limit=200')).body.changes;
    expect(before).toHaveLength(18);

    let price = 30;
    const pages = await readAll(
      async (cursor) => {
        const res = await changes(tenant, `?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        expect(ChangesResponse.safeParse(res.body).error).toBeUndefined();
        return res.body;
      },
      // Another writer: two new changes after every page read.
      () => engineWrite(h, ids.slice(0, 2), { price: price++ }, { origin: 'st' }),
    );
    expect(pages.flat().map((c) => c.id)).toEqual(before.map((c) => c.id));
    expect(pages.at(-1)?.length).toBe(2);

    // Newest first: by occurredAt, and within one transaction in the order the rows were written.
    const stored = await h.sql<{ id: string }>(
      'select id from pricebook_changes where tenant_id = ? order by created_at desc, seq desc',
      [tenant],
    );
    expect(before.map((c) => c.id)).toEqual(stored.slice(-18).map((r) => r.id));
    const after = (await changes(tenant, '?limit=200')).body.changes;
    expect(after).toHaveLength(18 + 2 * pages.length);
    expect(after.slice(2 * pages.length).map((c) => c.id)).toEqual(before.map((c) => c.id));
  });

  it('filters by entity, origin, actor, sync, row and time range', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const [m1 = '', m2 = ''] = await seedMaterials(h, tenant, [stMaterial(1), stMaterial(2)]);
    const syncLogId = await insertSyncLog(h, tenant);
    await engineWrite(h, [m1], { price: 11 }, { origin: 'st', syncLogId, actor: 'applier' });
    await call(app, 'PATCH', `/api/pricebook/materials/${m2}`, { key: keys.operator, body: { price: 3 } });
    const category = await call<{ item: { id: string } }>(app, 'POST', '/api/pricebook/categories', {
      key: keys.admin,
      body: { name: 'Fittings', categoryType: 'Materials' },
    });
    await engineWrite(h, [m1], { price: 12 }, { origin: 'inbound', actor: 'vendor-feed' });
    // Fixed instants, one a minute, in the order written, so the time bounds are exact.
    await h.sql(
      `update pricebook_changes set created_at = timestamptz '2026-01-01T00:00:00Z' + seq_rank * interval '1 minute'
         from (select id as rid, row_number() over (order by seq) as seq_rank from pricebook_changes where tenant_id = ?) r
        where id = r.rid`,
      [tenant],
    );
    const all = (await changes(tenant)).body.changes;
    expect(all.map((c) => [c.entity, c.origin, c.operation])).toEqual([
      ['materials', 'inbound', 'update'],
      ['categories', 'local', 'create'],
      ['materials', 'local', 'update'],
      ['materials', 'st', 'update'],
    ]);
    const [inbound, created, local, sync] = all;
    const ids = async (query: string) => {
      const res = await changes(tenant, `?${query}`);
      expect(res.status, query).toBe(200);
      return res.body.changes.map((c) => c.id);
    };
    expect(await ids('entity=categories')).toEqual([created?.id]);
    expect(await ids('entity=materials')).toEqual([inbound?.id, local?.id, sync?.id]);
    expect(await ids('origin=local')).toEqual([created?.id, local?.id]);
    expect(await ids('origin=resolution')).toEqual([]);
    expect(await ids('actor=vendor-feed')).toEqual([inbound?.id]);
    expect(await ids(`actor=${encodeURIComponent(local?.actor ?? '')}`)).toEqual([local?.id]);
    expect(await ids(`syncLogId=${syncLogId}`)).toEqual([sync?.id]);
    expect(await ids(`recordId=${m1}`)).toEqual([inbound?.id, sync?.id]);
    expect(await ids(`recordId=${category.body.item.id}&entity=categories`)).toEqual([created?.id]);
    expect(await ids(`recordId=${m1}&entity=categories`)).toEqual([]);
    expect(await ids('from=2026-01-01T00:02:00Z')).toEqual([inbound?.id, created?.id, local?.id]);
    expect(await ids('to=2026-01-01T00:02:00Z')).toEqual([sync?.id]);
    expect(await ids('from=2026-01-01T00:02:00Z&to=2026-01-01T00:04:00Z')).toEqual([created?.id, local?.id]);
    expect(await ids('from=2026-01-01T01:02:00%2B01:00&to=2026-01-01T00:02:00Z')).toEqual([]);
    expect(await ids('origin=local&entity=materials&from=2026-01-01T00:00:00Z')).toEqual([local?.id]);
    expect(sync?.occurredAt).toBe('2026-01-01T00:01:00.000Z');
  });

  it('pages a filtered listing with the cursor of the same filters', async () => {
    const tenant = h.tenant();
    const ids = await seedMaterials(
      h,
      tenant,
      Array.from({ length: 5 }, (_, i) => stMaterial(300 + i)),
    );
    for (const id of ids) {
      await engineWrite(h, [id], { price: 1 }, { origin: 'st' });
      await engineWrite(h, [id], { price: 2 }, { origin: 'local', actor: 'sheet' });
    }
    const pages = await readAll(async (cursor) => {
      const res = await changes(tenant, `?actor=sheet&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      return res.body;
    });
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((c) => c.recordId)).toEqual([...ids].reverse());
    expect(new Set(pages.flat().map((c) => c.actor))).toEqual(new Set(['sheet']));
  });
});
