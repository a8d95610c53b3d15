import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { propose } from '../assistant/proposals';
import { call, keys, startHarness } from '../test-support';
import { seedServices, waterHeaterServices } from '../test-support/assistant';

const h = forFile(() => startHarness());
const someId = '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

async function proposed(tenant: string): Promise<string> {
  await seedServices(h, tenant, waterHeaterServices());
  const proposal = await propose(h.orm, {
    tenantId: tenant,
    createdBy: 'viewer:abc',
    ttlMs: 3_600_000,
    toolCalls: [],
    draft: { entity: 'services', summary: 'raise', items: [{ id: 'st:501', fields: { price: 1248 } }] },
  });
  return proposal.id;
}

describe('assistant routes', () => {
  it('need a key (401)', async () => {
    for (const [method, path] of [
      ['POST', '/api/assistant/chat'],
      ['GET', '/api/assistant/proposals'],
      ['GET', `/api/assistant/proposals/${someId}`],
      ['POST', `/api/assistant/proposals/${someId}/confirm`],
      ['POST', `/api/assistant/proposals/${someId}/reject`],
      ['POST', '/api/mcp'],
    ] as const) {
      expect((await call(h.app(), method, path)).status, `${method} ${path}`).toBe(401);
    }
  });

  it('let a viewer read proposals but not confirm or reject them (403), writing nothing', async () => {
    const tenant = h.tenant();
    const id = await proposed(tenant);
    const app = h.app({ tenantId: tenant });
    expect((await call(app, 'GET', '/api/assistant/proposals', { key: keys.viewer })).status).toBe(200);
    expect((await call(app, 'GET', `/api/assistant/proposals/${id}`, { key: keys.viewer })).status).toBe(200);
    for (const action of ['confirm', 'reject']) {
      const res = await call(app, 'POST', `/api/assistant/proposals/${id}/${action}`, { key: keys.viewer });
      expect(res.status, action).toBe(403);
      expect(res.body).toMatchObject({ code: 'forbidden', requiredRole: 'operator' });
    }
    const [row] = await h.sql<{ price: string }>(
      `select data->>'price' as price from pricebook_services where tenant_id = ? and st_id = 501`,
      [tenant],
    );
    expect(row?.price).toBe('1200');
    expect(await h.sql('select 1 from pricebook_changes where tenant_id = ?', [tenant])).toEqual([]);
  });

  it("never shows or confirms another tenant's proposal (404)", async () => {
    const mine = h.tenant();
    const id = await proposed(mine);
    const otherApp = h.app({ tenantId: h.tenant() });
    expect((await call(otherApp, 'GET', `/api/assistant/proposals/${id}`, { key: keys.viewer })).status).toBe(
      404,
    );
    const list = await call<{ proposals: unknown[] }>(otherApp, 'GET', '/api/assistant/proposals', {
      key: keys.viewer,
    });
    expect(list.body.proposals).toEqual([]);
    expect(
      (await call(otherApp, 'POST', `/api/assistant/proposals/${id}/confirm`, { key: keys.operator })).status,
    ).toBe(404);
    const [row] = await h.sql<{ status: string }>(
      'select status from pricebook_assistant_proposals where id = ?',
      [id],
    );
    expect(row?.status).toBe('proposed');
  });
});
