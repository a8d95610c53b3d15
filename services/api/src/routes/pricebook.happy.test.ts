import { PricebookItemResponse, PricebookListResponse } from '@pricebook/contracts';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { seedMaterials, stMaterial } from '../test-support/pricebook';

const h = forFile(() => startHarness());

interface Item {
  id: string;
  stId: number | null;
  syncStatus: string;
  version: number;
  deletedAt: string | null;
  record: Record<string, unknown>;
}
interface ListBody {
  items: Item[];
  page: { nextCursor: string | null };
}

const audit = (tenant: string) =>
  h.sql<{ operation: string; origin: string; actor: string; record_id: string; changed_fields: string[] }>(
    'select * from pricebook_changes where tenant_id = ? order by seq',
    [tenant],
  );
const events = (tenant: string) =>
  h.sql<{ event_type: string }>('select event_type from pricebook_outbox where tenant_id = ? order by seq', [
    tenant,
  ]);

describe('GET /api/pricebook/{entity}', () => {
  it('pages through every row exactly once with the cursor', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const ids = await seedMaterials(
      h,
      tenant,
      Array.from({ length: 23 }, (_, i) => stMaterial(100 + i)),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=5&cursor=${cursor}` : '?limit=5';
      const res = await call<ListBody>(app, 'GET', `/api/pricebook/materials${query}`, { key: keys.viewer });
      expect(res.status).toBe(200);
      expect(PricebookListResponse.safeParse(res.body).error).toBeUndefined();
      seen.push(...res.body.items.map((i) => i.id));
      cursor = res.body.page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(23);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('filters by search, category, active, sync status, conflict, time and deletion', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const [a, b, c] = await seedMaterials(h, tenant, [
      stMaterial(1, { displayName: 'Brass Elbow', categories: [9] }),
      stMaterial(2, { active: false }),
      stMaterial(3, { description: 'PVC 100%_off' }),
    ]);
    await h.sql(`update pricebook_materials set price = 11 where id = ?`, [b]);
    await h.sql(`update pricebook_materials set deleted_at = now() where id = ?`, [c]);
    const ids = async (query: string) =>
      (await call<ListBody>(app, 'GET', `/api/pricebook/materials?${query}`, { key: keys.viewer })).body.items
        .map((i) => i.id)
        .sort();
    expect(await ids('search=brass')).toEqual([a]);
    expect(await ids('search=CU-2')).toEqual([b]);
    expect(await ids('search=100%25_&includeDeleted=true')).toEqual([c]);
    expect(await ids('categoryId=9')).toEqual([a]);
    expect(await ids('active=false')).toEqual([b]);
    expect(await ids('syncStatus=pending_sync')).toEqual([b]);
    expect(await ids('hasConflict=false')).toEqual([a, b].sort());
    expect(await ids('includeDeleted=true')).toEqual([a, b, c].sort());
    expect(await ids('modifiedSince=2999-01-01T00:00:00Z')).toEqual([]);
  });
});

describe('GET /api/pricebook/categories', () => {
  it('searches a category by name and filters by its parent, as the registry says', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const insert = async (stId: number, data: Record<string, unknown>) =>
      (
        await h.sql<{ id: string }>(
          `insert into pricebook_categories (tenant_id, st_id, data) values (?, ?, ?::jsonb) returning id`,
          [tenant, stId, JSON.stringify({ id: stId, ...data })],
        )
      )[0]?.id;
    const root = await insert(9, { name: 'Plumbing', parentId: null, description: 'pipes' });
    const child = await insert(10, { name: 'Water heaters', parentId: 9, description: null });
    const ids = async (query: string) =>
      (
        await call<ListBody>(app, 'GET', `/api/pricebook/categories?${query}`, { key: keys.viewer })
      ).body.items
        .map((i) => i.id)
        .sort();
    expect(await ids('search=heaters')).toEqual([child]);
    expect(await ids('search=pipes')).toEqual([root]);
    expect(await ids('categoryId=9')).toEqual([child]);
    expect(await ids('categoryId=10')).toEqual([]);
  });
});

describe('GET /api/pricebook/{entity}/{id}', () => {
  it('finds a row by uuid and by st:<id>', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const [id] = await seedMaterials(h, tenant, [stMaterial(48213)]);
    const byId = await call<{ item: Item }>(app, 'GET', `/api/pricebook/materials/${id}`, {
      key: keys.viewer,
    });
    const bySt = await call<{ item: Item }>(app, 'GET', '/api/pricebook/materials/st:48213', {
      key: keys.viewer,
    });
    expect(byId.status).toBe(200);
    expect(PricebookItemResponse.safeParse(byId.body).error).toBeUndefined();
    expect(byId.body.item).toMatchObject({
      id,
      stId: 48213,
      syncStatus: 'synced',
      record: { code: 'CU-48213' },
    });
    expect(bySt.body.item).toEqual(byId.body.item);
    expect(byId.headers.get('etag')).toBe(`"${byId.body.item.version}"`);
  });
});

describe('writes', () => {
  it('create, patch and delete each write one audit row and one event, marked local with the key', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const created = await call<{ item: Item }>(app, 'POST', '/api/pricebook/materials', {
      key: keys.operator,
      body: { code: 'NEW-1', description: 'new fitting', price: 5 },
    });
    expect(created.status).toBe(201);
    const id = created.body.item.id;
    expect(created.headers.get('location')).toBe(`/api/pricebook/materials/${id}`);
    expect(created.body.item).toMatchObject({
      stId: null,
      syncStatus: 'pending_sync',
      record: { code: 'NEW-1' },
    });

    const patched = await call<{ item: Item }>(app, 'PATCH', `/api/pricebook/materials/${id}`, {
      key: keys.operator,
      body: { price: 6.5 },
      headers: { 'if-match': `"${created.body.item.version}"` },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.item.record.price).toBe(6.5);

    const deleted = await call(app, 'DELETE', `/api/pricebook/materials/${id}`, { key: keys.operator });
    expect(deleted.status).toBe(204);

    const rows = await audit(tenant);
    expect(rows.map((r) => r.operation)).toEqual(['create', 'update', 'delete']);
    for (const r of rows) {
      expect(r).toMatchObject({ origin: 'local', record_id: id });
      expect(r.actor).toMatch(/^api:operator:[0-9a-f]{12}$/);
    }
    expect((await events(tenant)).map((e) => e.event_type)).toEqual([
      'record.created',
      'record.updated',
      'record.deleted',
    ]);
    const [row] = await h.sql<{ sync_status: string; deleted_at: string | null }>(
      'select sync_status, deleted_at from pricebook_materials where id = ?',
      [id],
    );
    expect(row?.sync_status).toBe('pending_sync');
    expect(row?.deleted_at).not.toBeNull();
  });

  it('marks a synced row pending on patch, and a repeated patch writes nothing', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    await seedMaterials(h, tenant, [stMaterial(77)]);
    const body = { price: 12.25 };
    const first = await call<{ item: Item }>(app, 'PATCH', '/api/pricebook/materials/st:77', {
      key: keys.operator,
      body,
    });
    const second = await call<{ item: Item }>(app, 'PATCH', '/api/pricebook/materials/st:77', {
      key: keys.operator,
      body,
    });
    expect(first.body.item.syncStatus).toBe('pending_sync');
    expect(second.status).toBe(200);
    expect(second.body.item.version).toBe(first.body.item.version);
    expect(await audit(tenant)).toHaveLength(1);
    expect(await events(tenant)).toHaveLength(1);
  });
});

describe('OpenAPI', () => {
  it('documents the pricebook and rejections routes', async () => {
    const res = await call<{ paths: Record<string, Record<string, unknown>> }>(
      h.app(),
      'GET',
      '/openapi.json',
    );
    const paths = res.body.paths;
    expect(Object.keys(paths['/api/pricebook/{entity}'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/pricebook/{entity}/{id}'] ?? {}).sort()).toEqual([
      'delete',
      'get',
      'patch',
    ]);
    expect(paths['/api/sync/pricebook/rejections']?.get).toBeDefined();
  });
});
