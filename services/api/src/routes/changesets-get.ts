import { createRoute } from '@hono/zod-openapi';
import { ChangeSetParams, ChangeSetQuery, ChangeSetResponse } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import { getChangeSet, listChangeSetChanges } from '../changesets/queries';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `GET /api/changesets/{id}` (viewer): one change-set and a page of its changes.
 *
 * @example
 * registerChangeSetsGet(app, deps);
 */
export function registerChangeSetsGet(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/changesets/{id}',
    tags: ['Change-sets'],
    summary: 'Get a change-set',
    description:
      'One change-set with its changes (audit rows, `before` and `after`) in the order they were made; ' +
      'page them with `cursor` (the previous `nextCursor`). Another tenant’s change-set is a 404. Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { params: ChangeSetParams, query: ChangeSetQuery },
    responses: {
      200: {
        description: 'The change-set and one page of its changes',
        content: { 'application/json': { schema: ChangeSetResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const tenantId = requestTenant(c).tenantId;
    const em = deps.orm.em.fork();
    // The page first, so a bad cursor is a 400 whether or not the change-set exists.
    const { changes, nextCursor } = await listChangeSetChanges(em, tenantId, id, query);
    const changeSet = await getChangeSet(em, tenantId, id);
    return c.json(
      { success: true as const, changeSet, changes, page: { limit: query.limit, nextCursor } },
      200,
    );
  });
}
