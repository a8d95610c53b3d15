import { StatusResponse } from '@pricebook/contracts';
import { setWriteContext } from '@pricebook/db';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());

/** Rows as the engine writes them (origin `st`), so their sync status is the one given. */
async function seedMaterials(tenant: string, statuses: Array<[status: string, deleted: boolean]>) {
  await h.orm.em.fork().transactional(async (em) => {
    await setWriteContext(em, { origin: 'st' });
    for (const [i, [status, deleted]] of statuses.entries()) {
      await em.execute(
        `insert into pricebook_materials (tenant_id, st_id, data, sync_status, deleted_at)
         values (?, ?, ?::jsonb, ?, ${deleted ? 'now()' : 'null'})`,
        [tenant, 100 + i, JSON.stringify({ id: 100 + i, code: `M-${i}` }), status],
      );
    }
  });
}

async function seedLog(tenant: string, status: string, minutesAgo: number) {
  const [row] = await h.sql<{ id: string }>(
    `insert into pricebook_sync_log (tenant_id, sync_type, direction, status, started_at, completed_at,
       duration_ms, records_fetched, created_at)
     values (?, 'full', 'from_st', ?, now() - make_interval(mins => ?), now() - make_interval(mins => ? - 1),
       60000, 42, now() - make_interval(mins => ?)) returning id`,
    [tenant, status, minutesAgo, minutesAgo, minutesAgo],
  );
  return String(row?.id);
}

describe('GET /api/sync/pricebook/status', () => {
  it('reports the last finished sync, counts per entity, conflicts, schedules and running syncs', async () => {
    const tenant = h.tenant();
    await seedMaterials(tenant, [
      ['synced', false],
      ['synced', false],
      ['pending_sync', false],
      ['conflict', false],
      ['synced', true],
    ]);
    await h.sql(
      `insert into pricebook_sync_conflicts (tenant_id, entity_type, record_id, conflict_type, status) values
         (?, 'materials', gen_random_uuid(), 'both_modified', 'unresolved'),
         (?, 'materials', gen_random_uuid(), 'both_modified', 'resolved')`,
      [tenant, tenant],
    );
    await seedLog(tenant, 'completed', 120);
    const lastFailed = await seedLog(tenant, 'failed', 30);
    await seedLog(tenant, 'queued', 5);

    const app = h.app({
      tenantId: tenant,
      config: {
        scheduler: {
          enabled: false,
          fullCron: '0 3 * * *',
          incrementalCron: '*/30 * * * *',
          timezone: 'UTC',
        },
      },
    });
    const started = await call(app, 'POST', '/api/sync/pricebook/full', {
      key: keys.operator,
      body: { entityTypes: ['services', 'categories'], dryRun: true },
    });

    const res = await call(app, 'GET', '/api/sync/pricebook/status', { key: keys.viewer });
    expect(res.status).toBe(200);
    expect(StatusResponse.safeParse(res.body).error).toBeUndefined();
    expect(res.body).toMatchObject({
      success: true,
      lastSync: { id: lastFailed, syncType: 'full', status: 'failed', recordsFetched: 42, durationMs: 60000 },
      stats: [
        { entity_type: 'categories', total_count: 0, synced_count: 0, pending_count: 0, conflict_count: 0 },
        { entity_type: 'materials', total_count: 4, synced_count: 2, pending_count: 1, conflict_count: 1 },
        { entity_type: 'services', total_count: 0, synced_count: 0, pending_count: 0, conflict_count: 0 },
        { entity_type: 'equipment', total_count: 0, synced_count: 0, pending_count: 0, conflict_count: 0 },
      ],
      unresolvedConflicts: 1,
      scheduler: {
        isRunning: false,
        schedules: { fullSync: '0 3 * * *', incrementalSync: '*/30 * * * *' },
        timezone: 'UTC',
        nextRuns: { fullSync: null, incrementalSync: null },
      },
      running: [
        {
          syncLogId: started.body.syncLogId,
          syncType: 'full',
          status: 'queued',
          dryRun: true,
          entityTypes: ['categories', 'services'],
          stale: false,
        },
      ],
    });
    const body = res.body as { lastSync: { startedAt: string; completedAt: string } };
    expect(new Date(body.lastSync.startedAt).toISOString()).toBe(body.lastSync.startedAt);
  });

  it('marks a run whose heartbeat went stale', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const started = await call(app, 'POST', '/api/sync/pricebook/incremental', {
      key: keys.operator,
      body: { entityTypes: ['equipment'] },
    });
    await h.sql(
      `update pricebook_sync_runs set heartbeat_at = now() - interval '1 day' where sync_log_id = ?`,
      [started.body.syncLogId],
    );
    const res = await call(app, 'GET', '/api/sync/pricebook/status', { key: keys.viewer });
    expect(res.body.running).toEqual([
      expect.objectContaining({ syncLogId: started.body.syncLogId, stale: true }),
    ]);
  });

  it('shows an empty tenant with every entity at zero and no last sync', async () => {
    const res = await call(h.app({ tenantId: h.tenant() }), 'GET', '/api/sync/pricebook/status', {
      key: keys.viewer,
    });
    expect(res.body).toMatchObject({ lastSync: null, unresolvedConflicts: 0, running: [] });
    expect((res.body.stats as unknown[]).length).toBe(4);
  });
});
