import { createRoute } from '@hono/zod-openapi';
import { ChangesQuery, ChangesResponse } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { listChanges } from '../queries/changes';

/**
 * `GET /api/changes` (viewer): the tenant's audit trail, newest first, filtered, cursor-paged.
 *
 * @example
 * registerChangesList(app, deps);
 */
export function registerChangesList(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/changes',
    tags: ['Pricebook'],
    summary: 'List pricebook changes',
    description:
      'Every change to every pricebook row (the audit trail), newest first, with `before`, `after`, ' +
      '`changedFields`, `origin`, `actor` and the sync. Filter by `entity`, `origin`, `actor`, ' +
      '`syncLogId`, `recordId` and a time range (`from` inclusive, `to` exclusive); page with ' +
      '`cursor` (the previous `nextCursor`): a change written meanwhile never repeats or hides a ' +
      'row of the next page. Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { query: ChangesQuery },
    responses: {
      200: {
        description: 'One page of changes',
        content: { 'application/json': { schema: ChangesResponse } },
      },
      ...problemResponses(400, 401, 403, 500),
    },
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const { changes, nextCursor } = await listChanges(deps.orm.em.fork(), requestTenant(c).tenantId, query);
    return c.json({ success: true as const, changes, page: { limit: query.limit, nextCursor } }, 200);
  });
}
