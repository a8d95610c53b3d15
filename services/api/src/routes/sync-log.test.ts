import { LogDetailResponse } from '@pricebook/contracts';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());

type Detail = {
  log: Record<string, unknown>;
  errors: {
    total: number;
    items: Array<Record<string, unknown>>;
    page: { limit: number; nextCursor: string | null };
  };
  plan: {
    total: number;
    items: Array<Record<string, unknown>>;
    page: { limit: number; nextCursor: string | null };
  } | null;
};

async function seedLog(tenant: string, dryRun: boolean) {
  const [row] = await h.sql<{ id: string }>(
    `insert into pricebook_sync_log (tenant_id, sync_type, direction, dry_run, status, started_at, completed_at,
       duration_ms, records_fetched, records_created, records_updated, records_deleted, records_skipped,
       conflicts, errors, entity_stats, options)
     values (?, 'full', 'from_st', ?, 'completed', now() - interval '1 minute', now(), 60000,
       12, 3, 2, 1, 5, 0, 1, ?::jsonb, '{"entityTypes": ["materials"]}') returning id`,
    [
      tenant,
      dryRun,
      JSON.stringify({
        materials: { fetched: 12, created: 3, updated: 2, deleted: 1, skipped: 5, conflicts: 0, errors: 1 },
      }),
    ],
  );
  return String(row?.id);
}

const get = (tenant: string, path: string) =>
  call<Detail>(h.app({ tenantId: tenant }), 'GET', path, { key: keys.viewer });

describe('GET /api/sync/pricebook/logs/{id}', () => {
  it('shows the counters, per-entity stats and the quarantined records; no plan for a real sync', async () => {
    const tenant = h.tenant();
    const id = await seedLog(tenant, false);
    await h.sql(
      `insert into pricebook_quarantine (tenant_id, sync_log_id, entity_type, st_id, raw, reason)
       values (?, ?, 'materials', 48213, '{"id": 48213, "price": "abc"}', 'price: expected number')`,
      [tenant, id],
    );
    const res = await get(tenant, `/api/sync/pricebook/logs/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.log).toMatchObject({
      id,
      status: 'completed',
      dryRun: false,
      durationMs: 60000,
      options: { entityTypes: ['materials'] },
      stats: { fetched: 12, created: 3, updated: 2, deleted: 1, skipped: 5, conflicts: 0, errors: 1 },
      entityStats: {
        materials: { fetched: 12, created: 3, updated: 2, deleted: 1, skipped: 5, conflicts: 0, errors: 1 },
      },
    });
    expect(res.body.errors).toMatchObject({
      total: 1,
      items: [{ entityType: 'materials', stId: 48213, reason: 'price: expected number' }],
      page: { nextCursor: null },
    });
    expect(res.body.errors.items[0]).not.toHaveProperty('raw');
    expect(res.body.plan).toBeNull();
  });

  it('answers as the contracts say, with every counter of an entity the applier has only partly counted', async () => {
    const tenant = h.tenant();
    const id = await seedLog(tenant, false);
    // A running sync: the applier adds an entity's counters as it meets them.
    await h.sql(`update pricebook_sync_log set status = 'running', entity_stats = ?::jsonb where id = ?`, [
      JSON.stringify({ services: { fetched: 4, created: 1 } }),
      id,
    ]);
    const res = await get(tenant, `/api/sync/pricebook/logs/${id}`);
    expect(res.status).toBe(200);
    const parsed = LogDetailResponse.safeParse(res.body);
    expect(parsed.error).toBeUndefined();
    expect(res.body.log.entityStats).toEqual({
      services: { fetched: 4, created: 1, updated: 0, deleted: 0, skipped: 0, conflicts: 0, errors: 0 },
    });
  });

  it("shows a dry run's plan with each record's diff, paginated and filterable by action", async () => {
    const tenant = h.tenant();
    const id = await seedLog(tenant, true);
    const entries = [
      ['categories', '7', 'create', { after: { name: 'Pipes' } }],
      ['materials', '100', 'update', { changedFields: ['price'], price: { local: 39.9, st: 42.5 } }],
      ['materials', '101', 'skip', null],
      ['materials', '102', 'update', { changedFields: ['cost'] }],
      ['materials', '103', 'delete', null],
    ] as const;
    for (const [entity, key, action, detail] of entries) {
      await h.sql(
        `insert into pricebook_sync_items (sync_log_id, entity_type, item_key, action, st_id, detail)
         values (?, ?, ?, ?, ?, ?::jsonb)`,
        [id, entity, key, action, Number(key), detail === null ? null : JSON.stringify(detail)],
      );
    }

    const seen: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    do {
      const query: string = `?planLimit=2${cursor ? `&planCursor=${cursor}` : ''}`;
      const res = await get(tenant, `/api/sync/pricebook/logs/${id}${query}`);
      expect(res.status).toBe(200);
      expect(res.body.plan?.total).toBe(5);
      seen.push(...(res.body.plan?.items ?? []));
      cursor = res.body.plan?.page.nextCursor ?? null;
    } while (cursor);
    expect(seen.map((e) => `${e.entityType}:${e.itemKey}:${e.action}`)).toEqual([
      'categories:7:create',
      'materials:100:update',
      'materials:101:skip',
      'materials:102:update',
      'materials:103:delete',
    ]);
    expect(seen[1]).toMatchObject({
      stId: 100,
      detail: { changedFields: ['price'], price: { local: 39.9, st: 42.5 } },
    });

    const updates = await get(tenant, `/api/sync/pricebook/logs/${id}?planAction=update`);
    expect(updates.body.plan?.total).toBe(2);
    expect(updates.body.plan?.items.map((e) => e.itemKey)).toEqual(['100', '102']);
  });

  it('pages the quarantined records', async () => {
    const tenant = h.tenant();
    const id = await seedLog(tenant, false);
    for (let i = 0; i < 3; i++) {
      await h.sql(
        `insert into pricebook_quarantine (tenant_id, sync_log_id, entity_type, st_id, raw, reason, created_at)
         values (?, ?, 'services', ?, '{}', 'bad', now() + make_interval(secs => ?))`,
        [tenant, id, 500 + i, i],
      );
    }
    const first = await get(tenant, `/api/sync/pricebook/logs/${id}?errorsLimit=2`);
    expect(first.body.errors.items.map((e) => e.stId)).toEqual([500, 501]);
    const next = first.body.errors.page.nextCursor;
    const second = await get(tenant, `/api/sync/pricebook/logs/${id}?errorsLimit=2&errorsCursor=${next}`);
    expect(second.body.errors.items.map((e) => e.stId)).toEqual([502]);
    expect(second.body.errors.page.nextCursor).toBeNull();
  });

  it("answers 404 for an unknown id and for another tenant's log", async () => {
    const tenant = h.tenant();
    const theirs = await seedLog(h.tenant(), false);
    for (const id of ['0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d', theirs]) {
      const res = await get(tenant, `/api/sync/pricebook/logs/${id}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({ code: 'not_found' });
    }
  });

  it.each([
    ['a bad uuid', '/api/sync/pricebook/logs/not-a-uuid', 'path', 'id'],
    [
      'an unknown plan action',
      '/api/sync/pricebook/logs/0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d?planAction=explode',
      'query',
      'planAction',
    ],
    [
      'a plan limit above 100',
      '/api/sync/pricebook/logs/0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d?planLimit=500',
      'query',
      'planLimit',
    ],
  ])('answers 400 for %s', async (_what, path, at, field) => {
    const res = await get(h.tenant(), path);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ path: field, in: at }] });
  });

  it('answers 400 for a forged plan cursor on a dry run', async () => {
    const tenant = h.tenant();
    const id = await seedLog(tenant, true);
    const res = await get(tenant, `/api/sync/pricebook/logs/${id}?planCursor=zzz`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ path: 'planCursor', in: 'query' }] });
  });
});
