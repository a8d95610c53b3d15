import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { seedMaterials, stMaterial } from '../test-support/pricebook';

const h = forFile(() => startHarness());

const reads = ['/api/changes', '/api/pricebook/materials/st:48213/history'];

describe('audit trail routes', () => {
  it.each(reads)('GET %s needs a key (401)', async (path) => {
    const none = await call(h.app(), 'GET', path);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await call(h.app(), 'GET', path, { key: 'not-a-key-0123456789' });
    expect(wrong.status).toBe(401);
  });

  it.each(reads)('GET %s checks the key before the query (401, not 400)', async (path) => {
    const res = await call(h.app(), 'GET', `${path}?limit=0&cursor=nope`);
    expect(res.status).toBe(401);
  });

  it.each(reads)('GET %s is open to every role from viewer up', async (path) => {
    const tenant = h.tenant();
    await seedMaterials(h, tenant, [stMaterial(48213)]);
    for (const key of [keys.viewer, keys.operator, keys.admin]) {
      expect((await call(h.app({ tenantId: tenant }), 'GET', path, { key })).status).toBe(200);
    }
  });

  it("never shows a tenant another tenant's changes", async () => {
    const mine = h.tenant();
    const other = h.tenant();
    const app = h.app({ tenantId: mine });
    const created = await call<{ item: { id: string } }>(app, 'POST', '/api/pricebook/materials', {
      key: keys.operator,
      body: { code: 'X-1', description: 'x' },
    });
    const id = created.body.item.id;
    const own = await call<{ changes: unknown[] }>(app, 'GET', `/api/changes?recordId=${id}`, {
      key: keys.viewer,
    });
    expect(own.body.changes).toHaveLength(1);

    const otherApp = h.app({ tenantId: other });
    const history = await call(otherApp, 'GET', `/api/pricebook/materials/${id}/history`, {
      key: keys.viewer,
    });
    expect(history.status).toBe(404);
    const list = await call<{ changes: unknown[] }>(otherApp, 'GET', '/api/changes', { key: keys.viewer });
    expect(list.status).toBe(200);
    expect(list.body.changes).toEqual([]);
    const byRecord = await call<{ changes: unknown[] }>(otherApp, 'GET', `/api/changes?recordId=${id}`, {
      key: keys.viewer,
    });
    expect(byRecord.body.changes).toEqual([]);
  });
});
