import { createRoute } from '@hono/zod-openapi';
import { PricebookSearchQuery, PricebookSearchResponse } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { columnDimensionsOf, searchPricebook } from '../queries/search';

/**
 * `GET /api/pricebook/search` (viewer): the tenant's records matching `q`, by full text, by
 * meaning, or both fused by reciprocal rank. Registered before `/api/pricebook/{entity}`.
 *
 * @example
 * registerPricebookSearch(app, deps);
 */
export function registerPricebookSearch(app: ApiApp, deps: RouteDeps): void {
  const columnDimensions = columnDimensionsOf(() => deps.orm.em.fork());
  const route = createRoute({
    method: 'get',
    path: '/api/pricebook/search',
    tags: ['Pricebook'],
    summary: 'Search the pricebook',
    description:
      'Records of every entity (or of `entity`) matching `q`, best first. `mode=text` matches words with ' +
      "PostgreSQL full-text search; `semantic` ranks by meaning (the query's embedding against each record's); " +
      '`hybrid` (default) fuses both lists by reciprocal rank. Records not embedded yet are found by text only. ' +
      'Without an embeddings provider, or while it does not answer, `semantic` and `hybrid` answer from full text ' +
      'and say so in `note`. Deleted records are left out. Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { query: PricebookSearchQuery },
    responses: {
      200: {
        description: 'The matches, best first',
        content: { 'application/json': { schema: PricebookSearchResponse } },
      },
      ...problemResponses(400, 401, 403, 500),
    },
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const answer = await searchPricebook(
      {
        em: deps.orm.em.fork(),
        fork: () => deps.orm.em.fork(),
        embedder: deps.embedder,
        log: c.get('log'),
        columnDimensions,
      },
      requestTenant(c).tenantId,
      query,
    );
    return c.json({ success: true as const, ...answer }, 200);
  });
}
