import { createRoute } from '@hono/zod-openapi';
import { PricebookListQuery, PricebookListResponse, PricebookParams } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { listPricebook } from '../queries/pricebook';

/**
 * `GET /api/pricebook/{entity}` (viewer): the local rows of one entity, filtered, cursor-paged.
 *
 * @example
 * registerPricebookList(app, deps);
 */
export function registerPricebookList(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/pricebook/{entity}',
    tags: ['Pricebook'],
    summary: 'List pricebook records',
    description:
      'Rows of one entity in a stable order; page with `cursor` (the previous `nextCursor`). ' +
      'Deleted rows only with `includeDeleted=true`. Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { params: PricebookParams, query: PricebookListQuery },
    responses: {
      200: {
        description: 'One page of records',
        content: { 'application/json': { schema: PricebookListResponse } },
      },
      ...problemResponses(400, 401, 403, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { entity } = c.req.valid('param');
    const query = c.req.valid('query');
    const { items, nextCursor } = await listPricebook(
      deps.orm.em.fork(),
      requestTenant(c).tenantId,
      entity,
      query,
    );
    return c.json({ success: true as const, items, page: { limit: query.limit, nextCursor } }, 200);
  });
}
