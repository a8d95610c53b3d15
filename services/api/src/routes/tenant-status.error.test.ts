import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { addTenant, seedTenantRows, type TenantRows } from '../test-support/tenants';

const h = forFile(() => startHarness());

const paused = '1003';
const removed = '1004';
const ids: Record<string, TenantRows> = {};

beforeAll(async () => {
  let seq = 1;
  for (const [tenant, status] of [
    [paused, 'paused'],
    [removed, 'removed'],
  ] as const) {
    ids[tenant] = await seedTenantRows(h, tenant, Number(tenant) * 10, seq++);
    await addTenant(h, tenant, { status });
  }
});

const as = (tenant: string) => ({ key: keys.admin, headers: { 'pricebook-tenant': tenant } });
const idsOf = (tenant: string) => {
  const found = ids[tenant];
  if (!found) throw new Error(`tenant ${tenant} not seeded`);
  return found;
};

describe('a removed tenant', () => {
  it('keeps its data readable', async () => {
    const app = h.app();
    const { recordId, conflictId } = idsOf(removed);
    for (const path of [
      '/api/pricebook/materials',
      `/api/pricebook/materials/${recordId}`,
      `/api/sync/pricebook/conflicts/${conflictId}`,
      '/api/sync/pricebook/status',
      '/api/sync/pricebook/rejections',
    ]) {
      expect((await call(app, 'GET', path, as(removed))).status, path).toBe(200);
    }
  });

  it('still lets an operator discard its dead letters: nobody will redrive them', async () => {
    const { rejectionId } = idsOf(removed);
    const res = await call<{ rejection: { status: string; discardReason: string } }>(
      h.app(),
      'POST',
      `/api/sync/pricebook/rejections/${rejectionId}/discard`,
      { ...as(removed), body: { reason: 'the tenant was removed' } },
    );
    expect(res.status).toBe(200);
    expect(res.body.rejection).toMatchObject({
      status: 'discarded',
      discardReason: 'the tenant was removed',
    });
  });

  it('takes no write: every one answers 409 tenant_unavailable and changes nothing', async () => {
    const app = h.app();
    const { recordId, conflictId, rejectionId } = idsOf(removed);
    const writes: Array<[string, string, unknown]> = [
      ['POST', '/api/sync/pricebook/full', {}],
      ['POST', '/api/sync/pricebook/incremental', {}],
      ['POST', '/api/pricebook/materials', { code: 'R-1', description: 'r' }],
      ['PATCH', `/api/pricebook/materials/${recordId}`, { price: 99 }],
      ['DELETE', `/api/pricebook/materials/${recordId}`, undefined],
      ['POST', `/api/sync/pricebook/resolve-conflict/${conflictId}`, { strategy: 'keep_st' }],
      ['POST', `/api/sync/pricebook/rejections/${rejectionId}/redrive`, undefined],
      ['POST', '/api/sync/pricebook/scheduler/stop', undefined],
    ];
    for (const [method, path, body] of writes) {
      const res = await call<{ code: string; tenantId: string; tenantStatus: string; status: number }>(
        app,
        method,
        path,
        { ...as(removed), body },
      );
      expect(res.status, `${method} ${path}`).toBe(409);
      expect(res.body, `${method} ${path}`).toMatchObject({
        code: 'tenant_unavailable',
        status: 409,
        tenantId: removed,
        tenantStatus: 'removed',
      });
    }
    const [row] = await h.sql<{ deleted_at: string | null; data: { price: number } }>(
      `select deleted_at, data from pricebook_materials where id = ?`,
      [recordId],
    );
    expect(row).toMatchObject({ deleted_at: null, data: { price: 10 } });
    const created = await h.sql(
      `select 1 from pricebook_materials where tenant_id = ? and data->>'code' = 'R-1'`,
      [removed],
    );
    expect(created).toEqual([]);
    expect(await h.sql(`select 1 from pricebook_sync_log where tenant_id = ?`, [removed])).toEqual([]);
    expect(h.published.filter((m) => m.tenant === removed)).toEqual([]);
  });
});

describe('a paused tenant', () => {
  it('starts no sync', async () => {
    const app = h.app();
    for (const kind of ['full', 'incremental']) {
      const res = await call<{ code: string }>(app, 'POST', `/api/sync/pricebook/${kind}`, as(paused));
      expect(res.status, kind).toBe(409);
      expect(res.body.code).toBe('tenant_unavailable');
    }
    expect(await h.sql(`select 1 from pricebook_sync_log where tenant_id = ?`, [paused])).toEqual([]);
    expect(h.published.filter((m) => m.tenant === paused)).toEqual([]);
  });

  it('keeps its reads and local edits', async () => {
    const app = h.app();
    const { recordId } = idsOf(paused);
    expect((await call(app, 'GET', `/api/pricebook/materials/${recordId}`, as(paused))).status).toBe(200);
    const created = await call(app, 'POST', '/api/pricebook/materials', {
      ...as(paused),
      body: { code: 'P-1', description: 'made while paused' },
    });
    expect(created.status).toBe(201);
    const edited = await call(app, 'PATCH', `/api/pricebook/materials/${recordId}`, {
      ...as(paused),
      body: { price: 12 },
    });
    expect(edited.status).toBe(200);
  });
});
