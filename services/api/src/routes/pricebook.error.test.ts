import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { seedMaterials, stMaterial } from '../test-support/pricebook';

const h = forFile(() => startHarness());

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ path: string; in: string; message: string }>;
}

const paths = (body: Problem) => (body.errors ?? []).map((e) => e.path).sort();
const auditCount = async (tenant: string) =>
  Number(
    (
      await h.sql<{ n: string }>('select count(*) as n from pricebook_changes where tenant_id = ?', [tenant])
    )[0]?.n,
  );

describe('400', () => {
  it('names each missing or badly typed field on create', async () => {
    const app = h.app();
    const res = await call<Problem>(app, 'POST', '/api/pricebook/materials', {
      key: keys.operator,
      body: { price: 'ten', active: 'yes' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(paths(res.body)).toEqual(['active', 'code', 'description', 'price']);
  });

  it('refuses read-only and unknown fields on patch, naming them', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    await seedMaterials(h, tenant, [stMaterial(5)]);
    const res = await call<Problem>(app, 'PATCH', '/api/pricebook/materials/st:5', {
      key: keys.operator,
      body: { modifiedOn: '2025-01-01T00:00:00Z', id: 6, prize: 1, price: 2 },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'modifiedOn', in: 'body', message: 'read-only field' },
        { path: 'id', in: 'body', message: 'read-only field' },
        { path: 'prize', in: 'body', message: 'unknown field' },
      ]),
    );
    expect(await auditCount(tenant)).toBe(0);
  });

  it('refuses an unknown entity, a malformed cursor and a bad If-Match', async () => {
    const app = h.app();
    const entity = await call<Problem>(app, 'GET', '/api/pricebook/widgets', { key: keys.viewer });
    expect(entity.status).toBe(400);
    expect(paths(entity.body)).toEqual(['entity']);
    const cursor = await call<Problem>(app, 'GET', '/api/pricebook/materials?cursor=nope', {
      key: keys.viewer,
    });
    expect(paths(cursor.body)).toEqual(['cursor']);
    const limit = await call<Problem>(app, 'GET', '/api/pricebook/materials?limit=201', { key: keys.viewer });
    expect(paths(limit.body)).toEqual(['limit']);
    const ifMatch = await call<Problem>(app, 'PATCH', '/api/pricebook/materials/st:1', {
      key: keys.operator,
      body: { price: 1 },
      headers: { 'if-match': 'abc' },
    });
    expect(paths(ifMatch.body)).toEqual(['If-Match']);
  });
});

const range = 'must be greater than -10000000000 and less than 10000000000';
const nul = 'must not contain the NUL character (\\u0000)';

describe('400 for values the database would refuse (a 500 before)', () => {
  it('refuses a price past numeric(14,4) on patch and create, writing nothing', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    await seedMaterials(h, tenant, [stMaterial(20)]);
    const patch = await call<Problem>(app, 'PATCH', '/api/pricebook/materials/st:20', {
      key: keys.operator,
      body: { price: 1e11, memberPrice: -1e10 },
    });
    expect(patch.status).toBe(400);
    expect(patch.headers.get('content-type')).toBe('application/problem+json');
    expect(patch.body.code).toBe('validation_failed');
    expect(patch.body.errors).toEqual([
      { path: 'price', in: 'body', message: range },
      { path: 'memberPrice', in: 'body', message: range },
    ]);
    const create = await call<Problem>(app, 'POST', '/api/pricebook/equipment', {
      key: keys.operator,
      body: { code: 'AC-1', description: 'condenser', cost: '99999999999' },
    });
    expect(create.status).toBe(400);
    expect(create.body.errors).toEqual([{ path: 'cost', in: 'body', message: range }]);
    expect(await auditCount(tenant)).toBe(0);
  });

  it('refuses a NUL character in a string, nested ones too', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    await seedMaterials(h, tenant, [stMaterial(21)]);
    const res = await call<Problem>(app, 'PATCH', '/api/pricebook/materials/st:21', {
      key: keys.operator,
      body: {
        description: 'copper\u0000fitting',
        primaryVendor: { vendorId: 3, cost: 1, active: true, memo: 'x\u0000' },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'description', in: 'body', message: nul },
      { path: 'primaryVendor.memo', in: 'body', message: nul },
    ]);
    const category = await call<Problem>(app, 'POST', '/api/pricebook/categories', {
      key: keys.operator,
      body: { name: 'Heat\u0000', categoryType: 'Services', skuImages: ['a\u0000.png'] },
    });
    expect(category.status).toBe(400);
    expect(paths(category.body)).toEqual(['name', 'skuImages.0']);
    // Half a surrogate pair travels in JSON as `\ud800`, which jsonb refuses just the same.
    const surrogate = await call<Problem>(app, 'PATCH', '/api/pricebook/materials/st:21', {
      key: keys.operator,
      body: { displayName: 'fan \ud83d' },
    });
    expect(surrogate.status).toBe(400);
    expect(surrogate.body.errors).toEqual([
      {
        path: 'displayName',
        in: 'body',
        message: 'must be well-formed Unicode (no lone surrogate such as \\ud800)',
      },
    ]);
    expect(await auditCount(tenant)).toBe(0);
  });

  it('refuses a 60,000-digit decimal by its length', async () => {
    const res = await call<Problem>(h.app(), 'POST', '/api/pricebook/materials', {
      key: keys.operator,
      body: { code: 'X', description: 'y', price: `${'1'.repeat(60_000)}x` },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'price', in: 'body', message: 'decimal text must be at most 40 characters' },
    ]);
  });

  it('refuses modifiedSince in year 0 and a search with a NUL character', async () => {
    const app = h.app();
    const year0 = await call<Problem>(
      app,
      'GET',
      '/api/pricebook/materials?modifiedSince=0000-01-01T00:00:00Z',
      {
        key: keys.viewer,
      },
    );
    expect(year0.status).toBe(400);
    expect(year0.body.errors).toEqual([
      { path: 'modifiedSince', in: 'query', message: 'must be between 0001-01-01 and 9999-12-31 (UTC)' },
    ]);
    const shifted = await call<Problem>(
      app,
      'GET',
      `/api/pricebook/materials?modifiedSince=${encodeURIComponent('0001-01-01T00:30:00+01:00')}`,
      { key: keys.viewer },
    );
    expect(paths(shifted.body)).toEqual(['modifiedSince']);
    const search = await call<Problem>(app, 'GET', '/api/pricebook/materials?search=cop%00per', {
      key: keys.viewer,
    });
    expect(search.status).toBe(400);
    expect(search.body.errors).toEqual([{ path: 'search', in: 'query', message: nul }]);
  });

  it('answers 404, not 500, for an st id past the ids ServiceTitan can have', async () => {
    const app = h.app();
    for (const id of ['st:9223372036854775808', 'st:9999999999999999999', 'st:9007199254740993']) {
      const get = await call<Problem>(app, 'GET', `/api/pricebook/materials/${id}`, { key: keys.viewer });
      expect(get.status, id).toBe(404);
      const del = await call<Problem>(app, 'DELETE', `/api/pricebook/materials/${id}`, {
        key: keys.operator,
      });
      expect(del.status, id).toBe(404);
    }
  });
});

describe('404', () => {
  it('answers a problem for an unknown uuid, an unknown st id and a malformed id', async () => {
    const app = h.app();
    for (const id of ['0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d', 'st:999999', 'nonsense']) {
      const get = await call<Problem>(app, 'GET', `/api/pricebook/materials/${id}`, { key: keys.viewer });
      expect(get.status).toBe(404);
      const patch = await call<Problem>(app, 'PATCH', `/api/pricebook/materials/${id}`, {
        key: keys.operator,
        body: { price: 1 },
      });
      expect(patch.status).toBe(404);
    }
  });
});

describe('409 and 412', () => {
  it('refuses to edit a row in conflict', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const [id] = await seedMaterials(h, tenant, [stMaterial(8)]);
    await h.orm.em.fork().transactional(async (em) => {
      await em.execute(`select set_config('pricebook.origin', 'st', true)`);
      await em.execute(
        `update pricebook_materials set sync_status = 'conflict', has_conflict = true where id = ?`,
        [id],
      );
    });
    const patch = await call<Problem>(app, 'PATCH', `/api/pricebook/materials/${id}`, {
      key: keys.operator,
      body: { price: 1 },
    });
    expect(patch.status).toBe(409);
    expect(patch.body.detail).toMatch(/resolve/);
    const del = await call<Problem>(app, 'DELETE', `/api/pricebook/materials/${id}`, { key: keys.operator });
    expect(del.status).toBe(409);
    expect(await auditCount(tenant)).toBe(0);
  });

  it('refuses a stale If-Match and writes nothing', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    await seedMaterials(h, tenant, [stMaterial(9)]);
    const current = await call<{ item: { version: number } }>(app, 'GET', '/api/pricebook/materials/st:9', {
      key: keys.viewer,
    });
    const stale = `"${current.body.item.version - 1}"`;
    const res = await call<Problem>(app, 'PATCH', '/api/pricebook/materials/st:9', {
      key: keys.operator,
      body: { price: 1 },
      headers: { 'if-match': stale },
    });
    expect(res.status).toBe(412);
    expect(res.body.code).toBe('precondition_failed');
    const del = await call<Problem>(app, 'DELETE', '/api/pricebook/materials/st:9', {
      key: keys.operator,
      headers: { 'if-match': stale },
    });
    expect(del.status).toBe(412);
    expect(await auditCount(tenant)).toBe(0);
  });
});
