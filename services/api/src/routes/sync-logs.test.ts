import { LogsResponse } from '@pricebook/contracts';
import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());
let tenant: string;
const ids: string[] = []; // newest first

type Page = {
  logs: Array<{ id: string; status: string; syncType: string; createdAt: string }>;
  page: { limit: number; nextCursor: string | null };
};

beforeAll(async () => {
  tenant = h.tenant();
  // 7 logs one minute apart; two share a created_at to make the keyset tie-breaker matter.
  const specs: Array<[status: string, type: string, minutesAgo: number]> = [
    ['completed', 'full', 70],
    ['failed', 'incremental', 60],
    ['completed', 'incremental', 50],
    ['completed', 'incremental', 40],
    ['completed', 'incremental', 40],
    ['running', 'full', 20],
    ['queued', 'incremental', 10],
  ];
  const created: Array<{ id: string; minutesAgo: number }> = [];
  for (const [status, type, minutesAgo] of specs) {
    const [row] = await h.sql<{ id: string }>(
      `insert into pricebook_sync_log (tenant_id, sync_type, direction, status, created_at)
       values (?, ?, 'from_st', ?, date_trunc('minute', now()) - make_interval(mins => ?)) returning id`,
      [tenant, type, status, minutesAgo],
    );
    created.push({ id: String(row?.id), minutesAgo });
  }
  // Newest first; equal times by id descending, as the API orders them.
  created.sort((a, b) => a.minutesAgo - b.minutesAgo || (a.id < b.id ? 1 : -1));
  ids.push(...created.map((c) => c.id));
  // Another tenant's log is never listed.
  await h.sql(
    `insert into pricebook_sync_log (tenant_id, sync_type, direction) values (1, 'full', 'from_st')`,
  );
});

const list = (query: string) =>
  call<Page>(h.app({ tenantId: tenant }), 'GET', `/api/sync/pricebook/logs${query}`, { key: keys.viewer });

describe('GET /api/sync/pricebook/logs', () => {
  it("lists the tenant's syncs newest first with their counters", async () => {
    const res = await list('');
    expect(res.status).toBe(200);
    expect(LogsResponse.safeParse(res.body).error).toBeUndefined();
    expect(res.body.logs.map((l) => l.id)).toEqual(ids);
    expect(res.body.page).toEqual({ limit: 20, nextCursor: null });
    expect(res.body.logs[0]).toMatchObject({
      syncType: 'incremental',
      direction: 'from_st',
      status: 'queued',
      dryRun: false,
      recordsFetched: 0,
      conflicts: 0,
      errors: 0,
      errorMessage: null,
    });
  });

  it('walks every row exactly once with the cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof list>> = await list(
        `?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.logs.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.logs.map((l) => l.id));
      cursor = res.body.page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });

  it('pages with offset too', async () => {
    const res = await list('?limit=3&offset=3');
    expect(res.body.logs.map((l) => l.id)).toEqual(ids.slice(3, 6));
    expect(res.body.page.nextCursor).not.toBeNull();
  });

  it('filters by status, sync type and creation time', async () => {
    const failed = await list('?status=failed');
    expect(failed.body.logs.map((l) => l.status)).toEqual(['failed']);

    const full = await list('?syncType=full');
    expect(full.body.logs.map((l) => l.syncType)).toEqual(['full', 'full']);

    const since = new Date(Date.now() - 45 * 60_000).toISOString();
    const recent = await list(`?since=${since}&syncType=incremental&status=completed`);
    expect(recent.body.logs).toHaveLength(2);
    for (const log of recent.body.logs)
      expect(Date.parse(log.createdAt)).toBeGreaterThanOrEqual(Date.parse(since));
  });
});

describe('bad list parameters answer 400 naming the parameter', () => {
  it.each([
    ['limit above 100', '?limit=101', 'limit'],
    ['limit zero', '?limit=0', 'limit'],
    ['a negative offset', '?offset=-1', 'offset'],
    ['an unknown status', '?status=done', 'status'],
    ['an unknown sync type', '?syncType=partial', 'syncType'],
    ['a since that is not a timestamp', '?since=yesterday', 'since'],
    ['a cursor this API never made', '?cursor=bm9wZQ', 'cursor'],
    [
      'a cursor with a forged id',
      `?cursor=${Buffer.from('["2025-12-06T02:00:00.000000Z","x"]').toString('base64url')}`,
      'cursor',
    ],
    [
      'cursor and offset together',
      `?offset=1&cursor=${Buffer.from('["2025-12-06T02:00:00.000000Z","6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a"]').toString('base64url')}`,
      'offset',
    ],
  ])('%s', async (_what, query, field) => {
    const res = await list(query);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = res.body as unknown as { errors: Array<{ path: string; in: string }> };
    expect(body.errors).toContainEqual(expect.objectContaining({ path: field, in: 'query' }));
  });
});
