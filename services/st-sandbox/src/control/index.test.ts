import { describe, expect, it } from 'vitest';
import { testSandbox } from '../test-support';

type Item = Record<string, unknown> & { id: number; modifiedOn: string; active: boolean; deleted: boolean };

describe('control API', () => {
  const call = async <T>(
    sb: ReturnType<typeof testSandbox>,
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const res = await sb.app.request(`/_sandbox${path}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };

  it('creates tenants with credentials and a generated pricebook; refuses duplicates', async () => {
    const sb = testSandbox();
    const t = await call<{
      tenantId: string;
      clientId: string;
      clientSecret: string;
      appKey: string;
      counts: Record<string, number>;
    }>(sb, 'POST', '/tenants', { items: 100, seed: 3 });
    expect(t.tenantId).not.toBe('1000001');
    expect(t.appKey).toBe('ak1.sandbox');
    expect(t.counts.materials).toBe(60);
    const token = await sb.token(t.clientId, t.clientSecret);
    const page = await sb.json<{ data: unknown[] }>('materials?active=Any&pageSize=500', {
      tenantId: t.tenantId,
      headers: { authorization: token },
    });
    expect(page.data.length).toBe(60);
    await expect(call(sb, 'POST', '/tenants', { tenantId: t.tenantId })).rejects.toThrow(/409/);
    const list = await call<{ data: { tenantId: string }[] }>(sb, 'GET', '/tenants');
    expect(list.data.map((x) => x.tenantId).sort()).toEqual(['1000001', t.tenantId].sort());
  });

  it('edits, deactivates and deletes as a user would, each bumping modifiedOn', async () => {
    const sb = testSandbox();
    const created = await call<Item>(sb, 'POST', '/tenants/1000001/materials', { price: 10 });
    expect(created.code).toBeTruthy();
    const edited = await call<Item>(sb, 'PATCH', `/tenants/1000001/materials/${created.id}`, { price: 11 });
    expect(edited.price).toBe(11);
    expect(edited.modifiedOn > created.modifiedOn).toBe(true);
    const off = await call<Item>(sb, 'POST', `/tenants/1000001/materials/${created.id}/deactivate`);
    expect(off.active).toBe(false);
    expect(off.modifiedOn > edited.modifiedOn).toBe(true);
    const gone = await call<Item>(sb, 'DELETE', `/tenants/1000001/materials/${created.id}`);
    expect(gone.deleted).toBe(true);
    expect((await call<{ data: Item[] }>(sb, 'GET', '/tenants/1000001/materials')).data).toEqual([]);
    const raw = await call<{ data: Item[] }>(sb, 'GET', '/tenants/1000001/materials?includeDeleted=true');
    expect(raw.data).toEqual([expect.objectContaining({ id: created.id, deleted: true, active: false })]);
    await expect(call(sb, 'PATCH', '/tenants/1000001/materials/1', {})).rejects.toThrow(/404/);
  });

  it('edits many items with one shared modifiedOn', async () => {
    const sb = testSandbox({ defaultTenant: { items: 30 } });
    const items = (await call<{ data: Item[] }>(sb, 'GET', '/tenants/1000001/services')).data.slice(0, 5);
    const result = await call<{ data: Item[] }>(sb, 'PATCH', '/tenants/1000001/services', {
      ids: items.map((i) => i.id),
      fields: { displayName: 'Renamed' },
    });
    expect(new Set(result.data.map((i) => i.modifiedOn)).size).toBe(1);
    expect(result.data.every((i) => i.displayName === 'Renamed')).toBe(true);
  });

  it('moves the clock, which stamps later edits', async () => {
    const sb = testSandbox();
    const set = await call<{ now: string }>(sb, 'POST', '/clock', { set: '2030-01-01T00:00:00Z' });
    expect(set.now.startsWith('2030-01-01T00:00')).toBe(true);
    const later = await call<{ now: string }>(sb, 'POST', '/clock', { advanceMs: 86_400_000 });
    expect(later.now.startsWith('2030-01-02')).toBe(true);
    const item = await call<Item>(sb, 'POST', '/tenants/1000001/categories', {});
    expect(item.modifiedOn.startsWith('2030-01-02')).toBe(true);
  });

  it('counts traffic by status and route, and resets to the boot state', async () => {
    const sb = testSandbox({ defaultTenant: { items: 10 } });
    await sb.api('materials');
    await sb.api('materials/1');
    await call(sb, 'PUT', '/faults', { errorRate: 1 });
    await sb.api('materials');
    const stats = await call<{
      totalRequests: number;
      byStatus: Record<string, number>;
      byPath: Record<string, { count: number }>;
    }>(sb, 'GET', '/stats');
    expect(stats.byStatus).toMatchObject({ '200': 2, '404': 1 });
    expect(stats.byPath['GET /pricebook/v2/tenant/:tenant/materials']?.count).toBe(2);
    expect(stats.byPath['GET /pricebook/v2/tenant/:tenant/materials/:id']?.count).toBe(1);
    expect(stats.byPath['POST /connect/token']?.count).toBe(1);

    await call(sb, 'POST', '/tenants', { tenantId: '55' });
    await call(sb, 'POST', '/tenants/1000001/materials', {});
    await call(sb, 'POST', '/clock', { advanceMs: 3_600_000 });
    await call(sb, 'POST', '/reset');
    const tenants = await call<{ data: { tenantId: string; counts: Record<string, number> }[] }>(
      sb,
      'GET',
      '/tenants',
    );
    expect(tenants.data).toEqual([
      expect.objectContaining({ tenantId: '1000001', counts: expect.objectContaining({ materials: 6 }) }),
    ]);
    expect(await call(sb, 'GET', '/faults')).toEqual({});
    expect((await call<{ totalRequests: number }>(sb, 'GET', '/stats')).totalRequests).toBe(0);
    const now = Date.parse((await call<{ now: string }>(sb, 'GET', '/clock')).now);
    expect(Math.abs(now - Date.now())).toBeLessThan(600_000);
  });

  it('corrupts a record on request, which lists and the export feed then serve as is', async () => {
    const sb = testSandbox({ defaultTenant: { items: 20 } });
    const [victim] = (await call<{ data: Item[] }>(sb, 'GET', '/tenants/1000001/materials')).data;
    const bad = await call<Item>(sb, 'POST', `/tenants/1000001/materials/${victim?.id}/corrupt`, {
      fields: { price: 'free', code: null, modifiedOn: 'last tuesday' },
    });
    expect(bad).toMatchObject({ id: victim?.id, price: 'free', code: null, modifiedOn: 'last tuesday' });
    const listed = await sb.json<{ data: Item[] }>('materials?pageSize=500');
    expect(listed.data.find((m) => m.id === victim?.id)).toMatchObject({
      price: 'free',
      modifiedOn: 'last tuesday',
    });
    const feed = await sb.json<{ data: Item[] }>('export/materials?includeRecentChanges=true');
    expect(feed.data.at(-1)).toMatchObject({ id: victim?.id, price: 'free' });
  });

  it('changes settings at run time and validates them', async () => {
    const sb = testSandbox();
    expect(await call(sb, 'PUT', '/settings', { exportPageSize: 5 })).toMatchObject({ exportPageSize: 5 });
    await expect(call(sb, 'PUT', '/settings', { exportPageSize: 0 })).rejects.toThrow(/400/);
    await expect(call(sb, 'PUT', '/faults', { errorRate: 2 })).rejects.toThrow(/400/);
  });
});
