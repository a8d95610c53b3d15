import { createRoute } from '@hono/zod-openapi';
import { RejectionsQuery, RejectionsResponse } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { listRejections } from '../queries/rejections';

/**
 * `GET /api/sync/pricebook/rejections` (viewer): terminated messages with their reasons, so an
 * integrator can see why an inbound edit was refused.
 *
 * @example
 * registerPricebookRejections(app, deps);
 */
export function registerPricebookRejections(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/sync/pricebook/rejections',
    tags: ['Sync'],
    summary: 'List rejected messages',
    description:
      'Messages a consumer terminated (bad JSON, schema failure, unknown record, read-only field…), ' +
      'newest first, with the reason and the payload as received. Filter by `stream` or `subject`. ' +
      'Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { query: RejectionsQuery },
    responses: {
      200: {
        description: 'One page of rejected messages',
        content: { 'application/json': { schema: RejectionsResponse } },
      },
      ...problemResponses(400, 401, 403, 500),
    },
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const { rejections, nextCursor } = await listRejections(
      deps.orm.em.fork(),
      requestTenant(c).tenantId,
      query,
    );
    return c.json({ success: true as const, rejections, page: { limit: query.limit, nextCursor } }, 200);
  });
}
