import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());

const id = '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d';
const reads: Array<[string, string]> = [
  ['GET', '/api/pricebook/materials'],
  ['GET', `/api/pricebook/materials/${id}`],
  ['GET', '/api/sync/pricebook/rejections'],
];
const writes: Array<[string, string]> = [
  ['POST', '/api/pricebook/materials'],
  ['PATCH', `/api/pricebook/materials/${id}`],
  ['DELETE', `/api/pricebook/materials/${id}`],
];

describe('pricebook routes', () => {
  it.each([...reads, ...writes])('%s %s needs a key (401)', async (method, path) => {
    const body = method === 'GET' ? {} : { body: { price: 1 } };
    const res = await call(h.app(), method, path, body);
    expect(res.status).toBe(401);
    const wrong = await call(h.app(), method, path, { key: 'not-a-key-0123456789', ...body });
    expect(wrong.status).toBe(401);
  });

  it.each(writes)(
    '%s %s needs the operator role (403 for a viewer, before the body)',
    async (method, path) => {
      const res = await call<{ requiredRole: string }>(h.app(), method, path, {
        key: keys.viewer,
        raw: '{not json',
      });
      expect(res.status).toBe(403);
      expect(res.body.requiredRole).toBe('operator');
    },
  );

  it('lets a viewer read and an admin write', async () => {
    const app = h.app();
    expect((await call(app, 'GET', '/api/pricebook/materials', { key: keys.viewer })).status).toBe(200);
    const created = await call(app, 'POST', '/api/pricebook/categories', {
      key: keys.admin,
      body: { name: 'Fittings', categoryType: 'Materials' },
    });
    expect(created.status).toBe(201);
  });

  it('never shows another tenant its rows', async () => {
    const mine = h.app({ tenantId: h.tenant() });
    const other = h.app({ tenantId: h.tenant() });
    const created = await call<{ item: { id: string } }>(mine, 'POST', '/api/pricebook/materials', {
      key: keys.operator,
      body: { code: 'X-1', description: 'x' },
    });
    const res = await call(other, 'GET', `/api/pricebook/materials/${created.body.item.id}`, {
      key: keys.viewer,
    });
    expect(res.status).toBe(404);
    const patch = await call(other, 'PATCH', `/api/pricebook/materials/${created.body.item.id}`, {
      key: keys.operator,
      body: { price: 1 },
    });
    expect(patch.status).toBe(404);
  });
});
