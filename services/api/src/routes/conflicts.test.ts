import { ConflictList, ConflictResponse } from '@pricebook/contracts';
import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CallResult, call, keys, startHarness } from '../test-support';
import { seedConflict } from '../test-support/conflicts';

const h = forFile(() => startHarness());
let tenant: string;
const ids: string[] = []; // unresolved, newest first

type List = {
  success: boolean;
  conflicts: Array<Record<string, unknown> & { id: string }>;
  total: number;
  counts: Record<string, number>;
  page: { limit: number; nextCursor: string | null };
};

beforeAll(async () => {
  tenant = h.tenant();
  for (let i = 1; i <= 4; i++) {
    const c = await seedConflict(h, tenant, i, { createdAt: `2025-12-0${i}T00:00:00Z` });
    ids.unshift(c.conflictId);
  }
  await seedConflict(h, tenant, 9, { status: 'resolved', createdAt: '2025-12-05T00:00:00Z' });
  await seedConflict(h, tenant, 10, {
    conflictType: 'local_deleted_st_modified',
    createdAt: '2025-12-06T00:00:00Z',
  });
  ids.unshift(
    (await h.sql<{ id: string }>(`select id from pricebook_sync_conflicts where st_id = 10`))[0]?.id ?? '',
  );
  await seedConflict(h, h.tenant(), 11); // another tenant's, never listed
});

const get = <T = List>(path: string, key: string = keys.viewer) =>
  call<T>(h.app({ tenantId: tenant }), 'GET', path, { key });

describe('GET /api/sync/pricebook/conflicts', () => {
  it('lists unresolved conflicts newest first with both versions, base, diff and counts', async () => {
    const res = await get('/api/sync/pricebook/conflicts');
    expect(res.status).toBe(200);
    expect(ConflictList.safeParse(res.body).error).toBeUndefined();
    expect(res.body.conflicts.map((c) => c.id)).toEqual(ids);
    expect(res.body.total).toBe(5);
    expect(res.body.counts).toEqual({ unresolved: 5, resolved: 1, superseded: 0 });
    expect(res.body.conflicts[4]).toMatchObject({
      entityType: 'materials',
      stId: 1,
      conflictType: 'both_modified',
      status: 'unresolved',
      stVersion: { price: 20 },
      localVersion: { price: 42 },
      baseVersion: { price: 10 },
      fieldDiff: { price: { base: 10, st: 20, local: 42 } },
      createdAt: '2025-12-01T00:00:00.000Z',
      resolvedAt: null,
    });
  });

  it('filters by status, entity type, conflict type and since', async () => {
    const resolved = await get('/api/sync/pricebook/conflicts?status=resolved');
    expect(resolved.body.conflicts.map((c) => c.stId)).toEqual([9]);
    const typed = await get('/api/sync/pricebook/conflicts?conflictType=local_deleted_st_modified');
    expect(typed.body.conflicts.map((c) => c.stId)).toEqual([10]);
    const since = await get('/api/sync/pricebook/conflicts?since=2025-12-03T00:00:00Z&entityType=materials');
    expect(since.body.conflicts.map((c) => c.stId)).toEqual([10, 4, 3]);
    const none = await get('/api/sync/pricebook/conflicts?entityType=services');
    expect(none.body).toMatchObject({ conflicts: [], total: 0 });
  });

  it('pages with the cursor, every conflict exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: CallResult<List> = await get<List>(
        `/api/sync/pricebook/conflicts?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.body.conflicts.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.conflicts.map((c) => c.id));
      cursor = res.body.page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });

  it('refuses bad filters naming them', async () => {
    const res = await get<{ errors: Array<{ path: string }> }>(
      '/api/sync/pricebook/conflicts?status=open&limit=0',
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.path).sort()).toEqual(['limit', 'status']);
  });

  it('needs a key (401)', async () => {
    const res = await call(h.app({ tenantId: tenant }), 'GET', '/api/sync/pricebook/conflicts');
    expect(res.status).toBe(401);
  });
});

describe('GET /api/sync/pricebook/conflicts/{id}', () => {
  it('answers one conflict', async () => {
    const res = await get<{ conflict: { id: string } }>(`/api/sync/pricebook/conflicts/${ids[0]}`);
    expect(res.status).toBe(200);
    expect(ConflictResponse.safeParse(res.body).error).toBeUndefined();
    expect(res.body.conflict.id).toBe(ids[0]);
  });

  it('is a 404 for an unknown id', async () => {
    const res = await get('/api/sync/pricebook/conflicts/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
  });
});
