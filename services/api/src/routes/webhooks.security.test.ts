import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());
const id = '5f0e3b1a-2c4d-4e6f-8a9b-0c1d2e3f4a5b';
const routes: Array<[string, string]> = [
  ['GET', '/api/webhooks'],
  ['POST', '/api/webhooks'],
  ['GET', `/api/webhooks/${id}`],
  ['PATCH', `/api/webhooks/${id}`],
  ['DELETE', `/api/webhooks/${id}`],
  ['POST', `/api/webhooks/${id}/enable`],
  ['GET', `/api/webhooks/${id}/deliveries`],
  ['GET', `/api/webhooks/${id}/deliveries/${id}/attempts`],
  ['POST', `/api/webhooks/${id}/deliveries/${id}/replay`],
  ['POST', `/api/webhooks/${id}/replay`],
];

describe('/api/webhooks security', () => {
  it.each(routes)('%s %s needs a key (401)', async (method, path) => {
    expect((await call(h.app(), method, path)).status).toBe(401);
  });

  it.each(routes)('%s %s needs the admin role (403 for an operator)', async (method, path) => {
    const body = method === 'GET' ? {} : { raw: '{x' };
    const res = await call<{ requiredRole: string }>(h.app(), method, path, { key: keys.operator, ...body });
    expect(res.status).toBe(403);
    expect(res.body.requiredRole).toBe('admin');
  });

  it("shows one tenant nothing of another tenant's webhooks", async () => {
    const app = h.app({ config: { webhooks: { allowPrivateUrls: true } } });
    const created = await call<{ webhook: { id: string } }>(app, 'POST', '/api/webhooks', {
      key: keys.admin,
      body: { url: 'http://127.0.0.1:9/', eventTypes: ['sync.failed'] },
    });
    expect(created.status).toBe(201);
    const other = h.app({ tenantId: '1002' });
    const res = await call(other, 'GET', `/api/webhooks/${created.body.webhook.id}`, { key: keys.admin });
    expect(res.status).toBe(404);
    const list = await call<{ webhooks: unknown[] }>(other, 'GET', '/api/webhooks', { key: keys.admin });
    expect(list.body.webhooks).toEqual([]);
  });
});
