import { createRoute } from '@hono/zod-openapi';
import { LogDetailQuery, LogDetailResponse, LogParams } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { planPage, quarantinePage } from '../queries/log-detail';
import { findSyncLog } from '../queries/sync-logs';

/**
 * `GET /api/sync/pricebook/logs/{id}` (viewer): one sync with its counters, per-entity stats,
 * quarantined records and, for a dry run, its plan.
 *
 * @example
 * registerSyncLog(app, deps);
 */
export function registerSyncLog(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/sync/pricebook/logs/{id}',
    tags: ['Sync'],
    summary: 'Get a specific sync log',
    description:
      'The sync log with `stats` and `entityStats`; `errors` lists the ServiceTitan records it quarantined ' +
      '(entity, ST id, reason); for a dry run, `plan` lists what it would do, record by record, with each ' +
      "record's field diff. Both lists are paginated (`errorsCursor`, `planCursor`). Role: viewer.",
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { params: LogParams, query: LogDetailQuery },
    responses: {
      200: {
        description: 'The sync log',
        content: { 'application/json': { schema: LogDetailResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const em = deps.orm.em.fork();
    const { tenantId } = requestTenant(c);
    const log = await findSyncLog(em, tenantId, id);
    if (!log) throw new AppError('not_found', `no sync log ${id}`);
    const [errors, plan] = await Promise.all([
      quarantinePage(em, tenantId, id, { limit: query.errorsLimit, cursor: query.errorsCursor }),
      log.dryRun
        ? planPage(em, id, { limit: query.planLimit, cursor: query.planCursor, action: query.planAction })
        : Promise.resolve(null),
    ]);
    return c.json({ success: true as const, log, errors, plan }, 200);
  });
}
