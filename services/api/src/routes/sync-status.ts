import { createRoute } from '@hono/zod-openapi';
import { StatusResponse } from '@pricebook/contracts';
import { schedulerStatus } from '@pricebook/schedule';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { driftReports, driftState } from '../queries/drift';
import { entityCounts, lastFinishedSync, runningSyncs, unresolvedConflicts } from '../queries/status';
import { tenantSchedule } from '../sync/tenant-schedule';
import { defaultDriftStaleAfterMs } from './drift-get';

/** The tenant's scheduler switch; KV unreachable: the configured default rather than failing the whole status. */
async function isEnabled(deps: RouteDeps, tenantId: string, fallback: boolean): Promise<boolean> {
  if (!deps.schedulerState) return fallback;
  try {
    return await (await deps.schedulerState(tenantId)).isEnabled(fallback);
  } catch {
    return fallback;
  }
}

/**
 * `GET /api/sync/pricebook/status` (viewer): the last finished sync, row counts per entity,
 * unresolved conflicts, the schedules and the syncs running now.
 *
 * @example
 * registerSyncStatus(app, deps);
 */
export function registerSyncStatus(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/sync/pricebook/status',
    tags: ['Sync'],
    summary: 'Get sync status',
    description:
      "The tenant's status: the original spec's status plus `pending_count`/`conflict_count` per entity and the running syncs. " +
      'The scheduler block reports the shared start/stop switch (NATS KV; SYNC_SCHEDULER_ENABLED until first ' +
      "written), the tenant's crons (its own, or the deployment's where it set none), their time zone and " +
      'the next run of each, the same from every replica. `drift` says whether the latest drift report found ' +
      'ServiceTitan and the local copy alike (`in_sync`, `drifted` with its item count, `stale` when older than ' +
      'DRIFT_STALE_AFTER_MS or failed, `unknown` before the first check). Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    responses: {
      200: { description: 'Sync status', content: { 'application/json': { schema: StatusResponse } } },
      ...problemResponses(401, 403, 500),
    },
  });
  app.openapi(route, async (c) => {
    const em = deps.orm.em.fork();
    const tenant = requestTenant(c);
    const { tenantId } = tenant;
    const { runStaleAfterMs } = deps.config;
    const scheduler = tenantSchedule(deps.config.scheduler, tenant);
    const [isRunning, lastSync, stats, conflicts, running, drift] = await Promise.all([
      isEnabled(deps, tenantId, scheduler.enabled),
      lastFinishedSync(em, tenantId),
      entityCounts(em, tenantId),
      unresolvedConflicts(em, tenantId),
      runningSyncs(em, tenantId, runStaleAfterMs),
      driftReports(em, tenantId),
    ]);
    const staleAfterMs = deps.config.drift?.staleAfterMs ?? defaultDriftStaleAfterMs;
    return c.json(
      {
        success: true as const,
        lastSync,
        stats,
        unresolvedConflicts: conflicts,
        scheduler: schedulerStatus(scheduler, isRunning),
        running,
        drift: driftState(drift.report, Date.now(), staleAfterMs),
      },
      200,
    );
  });
}
