import { createRoute } from '@hono/zod-openapi';
import { DriftResyncResponse, type EntityType, entityTypes } from '@pricebook/contracts';
import { createSync } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { driftReports } from '../queries/drift';
import { dispatchCommand } from '../sync/dispatch';
import { syncLogLocation } from './start-sync';

/**
 * `POST /api/drift/resync` (operator): a targeted incremental sync of the items the latest drift
 * report lists, read again by id (`stIds` per entity); nothing else is read or written.
 *
 * @example
 * registerDriftResync(app, deps);
 */
export function registerDriftResync(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'post',
    path: '/api/drift/resync',
    tags: ['Drift'],
    summary: 'Re-sync the drifted items',
    description:
      'Starts an incremental from-ServiceTitan sync of only the items the latest drift report lists: each is ' +
      'read again by id and goes through the usual comparison (local edits made since are merged or become ' +
      'conflicts, as in any sync); an item ServiceTitan no longer has is deleted locally. Export positions ' +
      'do not move. Answers 202 with the sync log id (`syncLogId: null` when the report lists nothing). ' +
      'A report that was cut at DRIFT_MAX_ITEMS re-syncs the items it lists; check again afterwards. Role: operator.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('operator', { tenant: 'sync' })] as const,
    responses: {
      202: {
        description: 'The targeted sync is queued',
        content: { 'application/json': { schema: DriftResyncResponse } },
      },
      ...problemResponses(401, 403, 404, 409, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { tenantId } = requestTenant(c);
    const { report } = await driftReports(deps.orm.em.fork(), tenantId);
    if (!report) throw new AppError('not_found', 'no drift report yet; run POST /api/drift/check first');
    const byEntity = new Map<EntityType, number[]>();
    for (const item of report.items)
      byEntity.set(item.entity, [...(byEntity.get(item.entity) ?? []), item.stId]);
    if (byEntity.size === 0) {
      return c.json({ success: true as const, syncLogId: null, reportId: report.id, items: 0 }, 202);
    }
    const principal = c.get('principal');
    const created = await createSync(deps.orm.em.fork(), {
      tenantId,
      syncType: 'incremental',
      options: {
        direction: 'from_st',
        entityTypes: entityTypes.filter((e) => byEntity.has(e)),
        stIds: Object.fromEntries(byEntity),
      },
      triggeredBy: principal ? `api:${principal.label}` : 'api',
      staleAfterMs: deps.config.runStaleAfterMs,
    });
    const log = c.get('log').child({ syncLogId: created.syncLogId, reportId: report.id });
    log.info({ items: report.items.length }, 'drift re-sync created');
    await dispatchCommand(deps, created, log);
    c.header('Location', syncLogLocation(created.syncLogId));
    return c.json(
      {
        success: true as const,
        syncLogId: created.syncLogId,
        reportId: report.id,
        items: report.items.length,
      },
      202,
    );
  });
}
