import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { seedConflict } from '../test-support/conflicts';
import { seedMaterials, stMaterial } from '../test-support/pricebook';
import { addTenant } from '../test-support/tenants';

const h = forFile(() => startHarness());

const A = '1001';
const B = '1002';
const asB = { key: keys.admin, headers: { 'pricebook-tenant': B } };
let recordOfB = '';
let conflictOfB = '';

beforeAll(async () => {
  await addTenant(h, B);
  [recordOfB = ''] = await seedMaterials(h, B, [stMaterial(300)]);
  ({ conflictId: conflictOfB } = await seedConflict(h, B, 301));
  await seedMaterials(h, A, [stMaterial(400)]);
});

describe('an unbound admin key naming tenant B', () => {
  it("reads B's data and only B's", async () => {
    const app = h.app();
    const list = await call<{ items: Array<{ id: string; stId: number | null }> }>(
      app,
      'GET',
      '/api/pricebook/materials',
      asB,
    );
    expect(list.status).toBe(200);
    // B's synced row and its row in conflict; never A's.
    expect(list.body.items.map((i) => i.id)).toContain(recordOfB);
    expect(list.body.items.map((i) => i.stId).sort()).toEqual([300, 301]);
    const conflict = await call(app, 'GET', `/api/sync/pricebook/conflicts/${conflictOfB}`, asB);
    expect(conflict.status).toBe(200);
    const item = await call(app, 'GET', `/api/pricebook/materials/${recordOfB}`, asB);
    expect(item.status).toBe(200);
    // Without the header it acts for the deployment's own tenant, A, which has no such row.
    expect(
      (await call(app, 'GET', `/api/pricebook/materials/${recordOfB}`, { key: keys.admin })).status,
    ).toBe(404);
  });

  it("starts B's sync: the command carries tenant B", async () => {
    const app = h.app();
    const res = await call<{ syncLogId: string }>(app, 'POST', '/api/sync/pricebook/full', {
      ...asB,
      body: { entityTypes: ['materials'] },
    });
    expect(res.status).toBe(202);
    const command = h.published.find((m) => m.correlationId === res.body.syncLogId);
    expect(command?.tenant).toBe(B);
    const [log] = await h.sql<{ tenant_id: string }>(
      `select tenant_id::text from pricebook_sync_log where id = ?`,
      [res.body.syncLogId],
    );
    expect(log?.tenant_id).toBe(B);
    const read = await call(app, 'GET', `/api/sync/pricebook/logs/${res.body.syncLogId}`, asB);
    expect(read.status).toBe(200);
    const status = await call<{ running: Array<{ syncLogId: string }> }>(
      app,
      'GET',
      '/api/sync/pricebook/status',
      asB,
    );
    expect(status.body.running.map((r) => r.syncLogId)).toContain(res.body.syncLogId);
  });

  it('says in its session which tenant a request naming none acts for', async () => {
    const me = await call(h.app(), 'GET', '/api/session', { key: keys.admin });
    expect(me.body).toMatchObject({ tenant: A, tenants: null });
    const bare = await call(h.app({ tenantId: null }), 'GET', '/api/session', { key: keys.admin });
    expect(bare.body).toMatchObject({ tenant: null, tenants: null });
  });
});
