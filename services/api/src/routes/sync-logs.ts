import { createRoute } from '@hono/zod-openapi';
import type { ApiApp, RouteDeps } from '../context';
import { listSyncLogs } from '../queries/sync-logs';
import { LogsQuerySchema, LogsResponseSchema } from '../schemas/logs';
import { problemResponses } from '../schemas/problem';

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
    request: { query: LogsQuerySchema },
    responses: {
      200: {
        description: 'One page of sync logs',
        content: { 'application/json': { schema: LogsResponseSchema } },
      },
      ...problemResponses(400, 401, 403, 500),
    },
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const { logs, nextCursor } = await listSyncLogs(deps.orm.em.fork(), deps.config.tenantId, query);
    return c.json({ success: true as const, logs, page: { limit: query.limit, nextCursor } }, 200);
  });
}
