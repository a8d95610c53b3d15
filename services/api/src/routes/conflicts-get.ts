import { createRoute } from '@hono/zod-openapi';
import { ConflictParams, ConflictResponse } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { findConflict } from '../queries/conflicts';

/**
 * `GET /api/sync/pricebook/conflicts/{id}` (viewer): one conflict, whatever its status.
 *
 * @example
 * registerConflictsGet(app, deps);
 */
export function registerConflictsGet(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/sync/pricebook/conflicts/{id}',
    tags: ['Conflicts'],
    summary: 'Get a conflict',
    description:
      'One conflict with both versions, the base, the field diff and its resolution. Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { params: ConflictParams },
    responses: {
      200: {
        description: 'The conflict',
        content: { 'application/json': { schema: ConflictResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const conflict = await findConflict(deps.orm.em.fork(), requestTenant(c).tenantId, id);
    if (!conflict) throw new AppError('not_found', `no conflict ${id}`);
    return c.json({ success: true as const, conflict }, 200);
  });
}
