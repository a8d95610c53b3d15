import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../queries/values';
import { call, keys, startHarness } from '../test-support';

// Each of these reached PostgreSQL and came back as a 500 before the contracts bounded them.
const h = forFile(() => startHarness());
let tenant: string;

beforeAll(async () => {
  tenant = h.tenant();
});

interface Problem {
  status: number;
  code: string;
  errors?: Array<{ path: string; in: string; message: string }>;
}

const get = (path: string) => call<Problem>(h.app({ tenantId: tenant }), 'GET', path, { key: keys.viewer });
const year0 = encodeURIComponent('0000-01-01T00:00:00Z');
const dateRange = 'must be between 0001-01-01 and 9999-12-31 (UTC)';
const nul = 'must not contain the NUL character (\\u0000)';

describe('query strings the database would refuse are a 400 naming the parameter', () => {
  it.each([
    ['/api/sync/pricebook/conflicts', 'since'],
    ['/api/sync/pricebook/logs', 'since'],
  ])('%s?%s= in year 0', async (path, name) => {
    const res = await get(`${path}?${name}=${year0}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: name, in: 'query', message: dateRange }],
    });
  });

  it.each(['stream', 'subject'])('rejections ?%s= with a NUL character', async (name) => {
    const res = await get(`/api/sync/pricebook/rejections?${name}=PRICEBOOK%00INBOUND`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: name, in: 'query', message: nul }]);
  });

  it('a dry run plan cursor whose key carries a NUL character', async () => {
    const [log] = await h.sql<{ id: string }>(
      `insert into pricebook_sync_log (tenant_id, sync_type, direction, status, dry_run)
       values (?, 'full', 'from_st', 'completed', true) returning id`,
      [tenant],
    );
    const cursor = encodeCursor(['materials', 'a\u0000b']);
    const res = await get(`/api/sync/pricebook/logs/${log?.id}?planCursor=${cursor}`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'planCursor', in: 'query', message: 'not a cursor this API handed out' },
    ]);
  });
});
