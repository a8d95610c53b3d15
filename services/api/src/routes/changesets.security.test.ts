import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { seedMaterials, stMaterial } from '../test-support/pricebook';

const h = forFile(() => startHarness());

/** A tenant with one bulk edit; its change-set id. */
async function bulkEdited(tenant: string): Promise<string> {
  await seedMaterials(h, tenant, [stMaterial(1, { price: 10 })]);
  const res = await call<{ changeSetId: string }>(
    h.app({ tenantId: tenant }),
    'POST',
    '/api/pricebook/materials/bulk',
    {
      key: keys.operator,
      body: { items: [{ id: 'st:1', fields: { price: 11 } }] },
    },
  );
  expect(res.status).toBe(200);
  return res.body.changeSetId;
}

describe('change-set routes', () => {
  it('need a key (401)', async () => {
    for (const [method, path] of [
      ['GET', '/api/changesets'],
      ['GET', '/api/changesets/0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d'],
      ['POST', '/api/changesets/0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d/revert'],
      ['POST', '/api/pricebook/materials/bulk'],
    ] as const) {
      expect((await call(h.app(), method, path)).status, `${method} ${path}`).toBe(401);
    }
  });

  it('let a viewer read but not revert or bulk edit (403)', async () => {
    const tenant = h.tenant();
    const id = await bulkEdited(tenant);
    const app = h.app({ tenantId: tenant });
    expect((await call(app, 'GET', '/api/changesets', { key: keys.viewer })).status).toBe(200);
    expect((await call(app, 'GET', `/api/changesets/${id}`, { key: keys.viewer })).status).toBe(200);
    const revert = await call(app, 'POST', `/api/changesets/${id}/revert`, {
      key: keys.viewer,
      body: { dryRun: false },
    });
    expect(revert.status).toBe(403);
    const bulk = await call(app, 'POST', '/api/pricebook/materials/bulk', {
      key: keys.viewer,
      body: { items: [{ id: 'st:1', fields: { price: 12 } }] },
    });
    expect(bulk.status).toBe(403);
    const [row] = await h.sql<{ price: string }>(
      `select data->>'price' as price from pricebook_materials where tenant_id = ?`,
      [tenant],
    );
    expect(row?.price).toBe('11');
    expect((await call(app, 'POST', `/api/changesets/${id}/revert`, { key: keys.operator })).status).toBe(
      200,
    );
  });

  it("never shows or reverts another tenant's change-set (404)", async () => {
    const mine = h.tenant();
    const other = h.tenant();
    const id = await bulkEdited(mine);
    const otherApp = h.app({ tenantId: other });
    expect((await call(otherApp, 'GET', `/api/changesets/${id}`, { key: keys.viewer })).status).toBe(404);
    const list = await call<{ changeSets: unknown[] }>(otherApp, 'GET', '/api/changesets', {
      key: keys.viewer,
    });
    expect(list.body.changeSets).toEqual([]);
    const revert = await call(otherApp, 'POST', `/api/changesets/${id}/revert`, {
      key: keys.operator,
      body: { dryRun: false },
    });
    expect(revert.status).toBe(404);
    const [row] = await h.sql<{ reverted_by_changeset_id: string | null }>(
      'select reverted_by_changeset_id from pricebook_changesets where id = ?',
      [id],
    );
    expect(row?.reverted_by_changeset_id).toBeNull();
  });
});
