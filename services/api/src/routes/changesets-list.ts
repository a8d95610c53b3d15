import { createRoute } from '@hono/zod-openapi';
import { ChangeSetsQuery, ChangeSetsResponse } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import { listChangeSets } from '../changesets/queries';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `GET /api/changesets` (viewer): the tenant's change-sets, newest first, filtered, cursor-paged.
 *
 * @example
 * registerChangeSetsList(app, deps);
 */
export function registerChangeSetsList(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/changesets',
    tags: ['Change-sets'],
    summary: 'List change-sets',
    description:
      'The change-sets of the tenant, newest first: each sync run, API edit or bulk edit, inbound batch, ' +
      'conflict resolution and revert, with what it changed (counts, entity types) and its revert links. ' +
      'Filter by `kind`, `actor`, `entity` and a time range (`since` inclusive, `until` exclusive); page ' +
      'with `cursor` (the previous `nextCursor`). Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { query: ChangeSetsQuery },
    responses: {
      200: {
        description: 'One page of change-sets',
        content: { 'application/json': { schema: ChangeSetsResponse } },
      },
      ...problemResponses(400, 401, 403, 500),
    },
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const { changeSets, nextCursor } = await listChangeSets(
      deps.orm.em.fork(),
      requestTenant(c).tenantId,
      query,
    );
    return c.json({ success: true as const, changeSets, page: { limit: query.limit, nextCursor } }, 200);
  });
}
