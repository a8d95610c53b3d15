import { createRoute } from '@hono/zod-openapi';
import { PricebookItemParams, PricebookSimilarQuery, PricebookSimilarResponse } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { getPricebookRow } from '../queries/pricebook';
import { similarRecords } from '../queries/search';

/**
 * `GET /api/pricebook/{entity}/{id}/similar` (viewer): likely duplicates of one record.
 *
 * @example
 * registerPricebookSimilar(app, deps);
 */
export function registerPricebookSimilar(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/pricebook/{entity}/{id}/similar',
    tags: ['Pricebook'],
    summary: 'Likely duplicates of a record',
    description:
      "Records of the same entity whose embeddings are nearest to this one's (cosine distance), itself " +
      'left out, nearest first; `maxDistance` keeps only the close ones. A record not embedded yet has ' +
      'none (see `note`). `id` is the local uuid or `st:<stId>`. Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { params: PricebookItemParams, query: PricebookSimilarQuery },
    responses: {
      200: {
        description: 'The nearest records',
        content: { 'application/json': { schema: PricebookSimilarResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { entity, id } = c.req.valid('param');
    const query = c.req.valid('query');
    const em = deps.orm.em.fork();
    const { tenantId } = requestTenant(c);
    const row = await getPricebookRow(em, tenantId, entity, id);
    const answer = await similarRecords(em, tenantId, entity, row.id, {
      limit: query.limit,
      ...(query.maxDistance !== undefined ? { maxDistance: query.maxDistance } : {}),
    });
    return c.json({ success: true as const, ...answer }, 200);
  });
}
