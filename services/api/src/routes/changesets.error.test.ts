import { BULK_EDIT_MAX_ITEMS } from '@pricebook/contracts';
import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { seedMaterials, stMaterial } from '../test-support/pricebook';

const h = forFile(() => startHarness());
let tenant: string;

beforeAll(async () => {
  tenant = h.tenant();
  await seedMaterials(h, tenant, [stMaterial(1, { price: 10 }), stMaterial(2, { price: 20 })]);
});

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ path: string; in: string; message: string }>;
}

const send = (method: string, path: string, body?: unknown, key: string = keys.operator) =>
  call<Problem>(h.app({ tenantId: tenant }), method, path, { key, ...(body === undefined ? {} : { body }) });
const fields = (body: Problem) => (body.errors ?? []).map((e) => `${e.in}:${e.path}`).sort();
const prices = async () =>
  (
    await h.sql<{ price: string }>(
      `select data->>'price' as price from pricebook_materials where tenant_id = ? order by st_id`,
      [tenant],
    )
  ).map((r) => r.price);
const missing = '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d';

describe('change-set reads: 400 problem+json', () => {
  it.each([
    ['an unknown kind', '/api/changesets?kind=nightly', ['query:kind']],
    ['an unknown entity', '/api/changesets?entity=widgets', ['query:entity']],
    ['a bad since', '/api/changesets?since=yesterday', ['query:since']],
    [
      'until before since',
      '/api/changesets?since=2025-12-02T00:00:00Z&until=2025-12-01T00:00:00Z',
      ['query:until'],
    ],
    ['a limit past 200', '/api/changesets?limit=201', ['query:limit']],
    ['a cursor that is not one', '/api/changesets?cursor=nope', ['query:cursor']],
    ['a malformed id', '/api/changesets/not-a-uuid', ['path:id']],
    ['a bad changes cursor', `/api/changesets/${missing}?cursor=nope`, ['query:cursor']],
  ])('%s', async (_, path, expected) => {
    const res = await send('GET', path, undefined, keys.viewer);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(fields(res.body)).toEqual(expected);
  });

  it('an unknown change-set is a 404', async () => {
    const res = await send('GET', `/api/changesets/${missing}`, undefined, keys.viewer);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    expect((await send('POST', `/api/changesets/${missing}/revert`, { dryRun: false })).status).toBe(404);
  });

  it('a revert body with a dryRun that is not a boolean is a 400', async () => {
    const res = await send('POST', `/api/changesets/${missing}/revert`, { dryRun: 'no' });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['body:dryRun']);
  });
});

describe('POST /api/pricebook/{entity}/bulk refuses the whole list', () => {
  it.each([
    ['an empty list', { items: [] }, ['body:items']],
    ['a bad id', { items: [{ id: 'nope', fields: { price: 1 } }] }, ['body:items.0.id']],
    [
      'a row twice',
      {
        items: [
          { id: 'st:1', fields: { price: 1 } },
          { id: 'st:1', fields: { price: 2 } },
        ],
      },
      ['body:items.1.id'],
    ],
    [
      'a read-only field and a bad price',
      {
        items: [
          { id: 'st:1', fields: { price: 11 } },
          { id: 'st:2', fields: { modifiedOn: '2025-01-01T00:00:00Z', price: 'cheap' } },
        ],
      },
      ['body:items.1.fields.modifiedOn', 'body:items.1.fields.price'],
    ],
    [
      'more items than allowed',
      {
        items: Array.from({ length: BULK_EDIT_MAX_ITEMS + 1 }, () => ({ id: 'st:1', fields: { price: 1 } })),
      },
      ['body:items'],
    ],
  ])('%s (400)', async (_, body, expected) => {
    const res = await send('POST', '/api/pricebook/materials/bulk', body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(fields(res.body)).toEqual(expected);
    expect(await prices()).toEqual(['10', '20']);
  });

  it('an unknown row (404) or a stale version (412) rolls back the rows before it', async () => {
    const unknown = await send('POST', '/api/pricebook/materials/bulk', {
      items: [
        { id: 'st:1', fields: { price: 11 } },
        { id: 'st:999', fields: { price: 12 } },
      ],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/^items\.1 \(st:999\)/);
    const stale = await send('POST', '/api/pricebook/materials/bulk', {
      items: [
        { id: 'st:1', fields: { price: 11 } },
        { id: 'st:2', fields: { price: 12 }, version: 99 },
      ],
    });
    expect(stale.status).toBe(412);
    expect(await prices()).toEqual(['10', '20']);
    const [count] = await h.sql<{ n: string }>(
      'select count(*) as n from pricebook_changesets where tenant_id = ?',
      [tenant],
    );
    expect(count?.n).toBe('0');
  });
});
