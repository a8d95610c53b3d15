import { createRoute } from '@hono/zod-openapi';
import type { ApiApp, RouteDeps } from '../context';
import { entityCounts, lastFinishedSync, runningSyncs, unresolvedConflicts } from '../queries/status';
import { problemResponses } from '../schemas/problem';
import { StatusResponseSchema } from '../schemas/status';

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
      "The original spec's status plus `pending_count`/`conflict_count` per entity and the running syncs. " +
      'The scheduler block reports the configuration (SYNC_SCHEDULER_ENABLED and the crons). Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    responses: {
      200: { description: 'Sync status', content: { 'application/json': { schema: StatusResponseSchema } } },
      ...problemResponses(401, 403, 500),
    },
  });
  app.openapi(route, async (c) => {
    const em = deps.orm.em.fork();
    const { tenantId, scheduler, runStaleAfterMs } = deps.config;
    const [lastSync, stats, conflicts, running] = await Promise.all([
      lastFinishedSync(em, tenantId),
      entityCounts(em, tenantId),
      unresolvedConflicts(em, tenantId),
      runningSyncs(em, tenantId, runStaleAfterMs),
    ]);
    return c.json(
      {
        success: true as const,
        lastSync,
        stats,
        unresolvedConflicts: conflicts,
        scheduler: {
          isRunning: scheduler.enabled,
          schedules: { fullSync: scheduler.fullCron, incrementalSync: scheduler.incrementalCron },
        },
        running,
      },
      200,
    );
  });
}
