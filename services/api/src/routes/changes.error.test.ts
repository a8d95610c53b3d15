import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../queries/values';
import { call, keys, startHarness } from '../test-support';
import { seedMaterials, stMaterial } from '../test-support/pricebook';

const h = forFile(() => startHarness());
let tenant: string;
let id: string;

beforeAll(async () => {
  tenant = h.tenant();
  [id = ''] = await seedMaterials(h, tenant, [stMaterial(48213)]);
});

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ path: string; in: string; message: string }>;
}

const get = (path: string) => call<Problem>(h.app({ tenantId: tenant }), 'GET', path, { key: keys.viewer });
const fields = (body: Problem) => (body.errors ?? []).map((e) => `${e.in}:${e.path}`).sort();

describe('400 problem+json', () => {
  it.each([
    ['an unknown entity', '/api/pricebook/widgets/st:1/history', ['path:entity']],
    ['a malformed id', '/api/pricebook/materials/not-a-uuid/history', ['path:id']],
    [
      'a uuid one digit short',
      '/api/pricebook/materials/0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9/history',
      ['path:id'],
    ],
    ['st id 0', '/api/pricebook/materials/st:0/history', ['path:id']],
    ['an st id past 2^53', '/api/pricebook/materials/st:9007199254740993/history', ['path:id']],
    ['a limit of 0', `/api/pricebook/materials/st:48213/history?limit=0`, ['query:limit']],
    ['a limit past 200', '/api/pricebook/materials/st:48213/history?limit=201', ['query:limit']],
    ['a cursor that is not one', '/api/pricebook/materials/st:48213/history?cursor=nope', ['query:cursor']],
    ['an unknown entity filter', '/api/changes?entity=widgets', ['query:entity']],
    ['an unknown origin', '/api/changes?origin=push', ['query:origin']],
    ['a malformed sync id', '/api/changes?syncLogId=42', ['query:syncLogId']],
    ['a malformed record id', '/api/changes?recordId=st:1', ['query:recordId']],
    ['a time without a zone', '/api/changes?from=2026-01-01T00:00:00', ['query:from']],
    ['a time in year 0', `/api/changes?to=${encodeURIComponent('0000-01-01T00:00:00Z')}`, ['query:to']],
    [
      'a range that ends before it starts',
      '/api/changes?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      ['query:to'],
    ],
    ['a limit that is not a number', '/api/changes?limit=ten', ['query:limit']],
    ['a limit past 200', '/api/changes?limit=201', ['query:limit']],
    ['a cursor that is not one', '/api/changes?cursor=%%%', ['query:cursor']],
  ])('%s', async (_what, path, expected) => {
    const res = await get(path);
    expect(res.status, path).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.code).toBe('validation_failed');
    expect(fields(res.body)).toEqual(expected);
  });

  it.each([
    ["a history cursor on /changes (the other listing's key)", '/api/changes', encodeCursor(['12'])],
    [
      'a /changes cursor on a history',
      `/api/pricebook/materials/st:48213/history`,
      encodeCursor(['2026-01-01T00:00:00.000000Z', '12']),
    ],
    [
      'a cursor whose time is not a date',
      '/api/changes',
      encodeCursor(['2026-02-30T00:00:00.000000Z', '12']),
    ],
    [
      'a cursor whose seq is past a bigint',
      '/api/changes',
      encodeCursor(['2026-01-01T00:00:00.000000Z', '9'.repeat(19)]),
    ],
    [
      'a cursor whose seq is negative',
      `/api/pricebook/materials/${'st:48213'}/history`,
      encodeCursor(['-1']),
    ],
  ])('%s', async (_what, path, cursor) => {
    const res = await get(`${path}?cursor=${cursor}`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'cursor', in: 'query', message: 'not a cursor this API handed out' },
    ]);
  });
});

describe('404 problem+json', () => {
  it.each([
    ['an unknown uuid', '/api/pricebook/materials/9a0e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d/history'],
    ['an unknown st id', '/api/pricebook/materials/st:1/history'],
    ['a row of another entity', '/api/pricebook/services/st:48213/history'],
  ])('%s', async (_what, path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.code).toBe('not_found');
  });

  it('a row removed by SQL, by its st id (its uuid still finds the history)', async () => {
    const [gone] = await seedMaterials(h, tenant, [stMaterial(77)]);
    await h.sql('delete from pricebook_materials where id = ?', [gone]);
    expect((await get('/api/pricebook/materials/st:77/history')).status).toBe(404);
    expect((await get(`/api/pricebook/materials/${gone}/history`)).status).toBe(200);
  });

  it('not for a row with no change on the requested page', async () => {
    const res = await get(`/api/pricebook/materials/${id}/history?cursor=${encodeCursor(['1'])}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ changes: [], page: { nextCursor: null } });
  });
});
