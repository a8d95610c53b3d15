import { createRoute } from '@hono/zod-openapi';
import { LogsQuery, LogsResponse } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { listSyncLogs } from '../queries/sync-logs';

/**
 * `GET /api/sync/pricebook/logs` (viewer): sync history, newest first, filtered and paginated.
 *
 * @example
 * registerSyncLogs(app, deps);
 */
export function registerSyncLogs(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/sync/pricebook/logs',
    tags: ['Sync'],
    summary: 'Get sync history',
    description:
      "Newest first. Page with `cursor` (the previous page's `nextCursor`) or with `offset`. Role: viewer.",
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { query: LogsQuery },
    responses: {
      200: {
        description: 'One page of sync logs',
        content: { 'application/json': { schema: LogsResponse } },
      },
      ...problemResponses(400, 401, 403, 500),
    },
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const { logs, nextCursor } = await listSyncLogs(deps.orm.em.fork(), requestTenant(c).tenantId, query);
    return c.json({ success: true as const, logs, page: { limit: query.limit, nextCursor } }, 200);
  });
}
