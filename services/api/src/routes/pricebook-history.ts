import { createRoute } from '@hono/zod-openapi';
import {
  PricebookHistoryParams,
  PricebookHistoryQuery,
  PricebookHistoryResponse,
} from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { historyTarget, listHistory } from '../queries/changes';

/**
 * `GET /api/pricebook/{entity}/{id}/history` (viewer): one row's audit trail, the last change
 * first, deleted rows included.
 *
 * @example
 * registerPricebookHistory(app, deps);
 */
export function registerPricebookHistory(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/pricebook/{entity}/{id}/history',
    tags: ['Pricebook'],
    summary: "A pricebook record's history",
    description:
      'Every change to one row, whoever made it (a sync, the API, SQL, an inbound message, a ' +
      'resolution), the last one first, with `before`, `after`, `changedFields`, `origin`, `actor` and ' +
      'the sync. `id` is the local uuid or `st:<stId>`; a deleted row keeps its history. Page with ' +
      '`cursor` (the previous `nextCursor`). Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { params: PricebookHistoryParams, query: PricebookHistoryQuery },
    responses: {
      200: {
        description: 'One page of the changes',
        content: { 'application/json': { schema: PricebookHistoryResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { entity, id } = c.req.valid('param');
    const query = c.req.valid('query');
    const em = deps.orm.em.fork();
    const { tenantId } = requestTenant(c);
    const target = await historyTarget(em, tenantId, entity, id);
    const { changes, nextCursor } = await listHistory(em, tenantId, entity, target.recordId, query);
    return c.json(
      {
        success: true as const,
        entity,
        recordId: target.recordId,
        stId: target.stId,
        changes,
        page: { limit: query.limit, nextCursor },
      },
      200,
    );
  });
}
