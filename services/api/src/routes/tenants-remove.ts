import { createRoute } from '@hono/zod-openapi';
import { TenantParams, TenantResponse } from '@pricebook/contracts';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { requireMayActFor } from './tenants-access';

/**
 * `DELETE /api/tenants/{tenantId}` (admin): marks a tenant removed; its data stays.
 *
 * @example
 * registerTenantsRemove(app, deps);
 */
export function registerTenantsRemove(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'delete',
    path: '/api/tenants/{tenantId}',
    tags: ['Tenants'],
    summary: 'Remove a tenant',
    description:
      'The tenant gets status `removed`: no schedules, no syncs, no pushes. Its pricebook, history ' +
      'and logs stay readable; adding it again (`POST /api/tenants`) brings it back with them. ' +
      'Idempotent. 409 for the deployment’s own tenant. Role: admin.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin', { tenant: 'none' })] as const,
    request: { params: TenantParams },
    responses: {
      200: {
        description: 'The tenant, removed',
        content: { 'application/json': { schema: TenantResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { tenantId } = c.req.valid('param');
    requireMayActFor(c, tenantId);
    const tenant = await deps.tenants.setStatus(tenantId, 'removed');
    c.get('log').info({ tenantId }, 'tenant removed');
    return c.json({ success: true as const, tenant }, 200);
  });
}
