import { createRoute } from '@hono/zod-openapi';
import { PricebookItemParams, PricebookItemResponse } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { etag } from '../pricebook/write';
import { getPricebookRow } from '../queries/pricebook';

/**
 * `GET /api/pricebook/{entity}/{id}` (viewer): one row by local uuid or `st:<stId>`.
 *
 * @example
 * registerPricebookGet(app, deps);
 */
export function registerPricebookGet(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/pricebook/{entity}/{id}',
    tags: ['Pricebook'],
    summary: 'Get one pricebook record',
    description:
      '`id` is the local uuid or `st:<stId>`. Deleted rows are returned with `deletedAt`. ' +
      '`ETag` carries the row version for `If-Match`. Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { params: PricebookItemParams },
    responses: {
      200: {
        description: 'The record',
        content: { 'application/json': { schema: PricebookItemResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { entity, id } = c.req.valid('param');
    const item = await getPricebookRow(deps.orm.em.fork(), requestTenant(c).tenantId, entity, id);
    c.header('ETag', etag(item.version));
    return c.json({ success: true as const, item }, 200);
  });
}
