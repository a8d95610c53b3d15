import { createRoute } from '@hono/zod-openapi';
import { TenantParams, TenantPurgeResponse } from '@pricebook/contracts';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { requireMayActFor } from './tenants-access';

/**
 * `POST /api/tenants/{tenantId}/purge` (admin): deletes all a removed tenant left.
 *
 * @example
 * registerTenantsPurge(app, deps);
 */
export function registerTenantsPurge(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'post',
    path: '/api/tenants/{tenantId}/purge',
    tags: ['Tenants'],
    summary: "Purge a removed tenant's data",
    description:
      'Deletes everything a removed tenant left: its pricebook, audit trail, syncs, conflicts and ' +
      'events not yet published, then the tenant. Nothing is announced (no audit row, no event). ' +
      'Cannot be undone. 409 unless the tenant was removed first. Role: admin.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin', { tenant: 'none' })] as const,
    request: { params: TenantParams },
    responses: {
      200: {
        description: 'The tenant and how many rows went',
        content: { 'application/json': { schema: TenantPurgeResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { tenantId } = c.req.valid('param');
    requireMayActFor(c, tenantId);
    const deletedRows = await deps.tenants.purge(tenantId);
    c.get('log').info({ tenantId, deletedRows }, 'tenant purged');
    return c.json({ success: true as const, tenantId, deletedRows }, 200);
  });
}
