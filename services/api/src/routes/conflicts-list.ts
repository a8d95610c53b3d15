import { createRoute } from '@hono/zod-openapi';
import { ConflictList, ConflictsQuery } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { listConflicts } from '../queries/conflicts';

/**
 * `GET /api/sync/pricebook/conflicts` (viewer): conflicts newest first, unresolved by default,
 * each with both versions, the base and the field diff, plus the counts by status.
 *
 * @example
 * registerConflictsList(app, deps);
 */
export function registerConflictsList(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/sync/pricebook/conflicts',
    tags: ['Conflicts'],
    summary: 'List conflicts',
    description:
      'Unresolved conflicts by default (`status` picks another), newest first, filtered by `entityType`, ' +
      '`conflictType` and `since`; page with `cursor`. Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { query: ConflictsQuery },
    responses: {
      200: {
        description: 'One page of conflicts',
        content: { 'application/json': { schema: ConflictList } },
      },
      ...problemResponses(400, 401, 403, 500),
    },
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const { conflicts, total, counts, nextCursor } = await listConflicts(
      deps.orm.em.fork(),
      requestTenant(c).tenantId,
      query,
    );
    return c.json(
      { success: true as const, conflicts, total, counts, page: { limit: query.limit, nextCursor } },
      200,
    );
  });
}
