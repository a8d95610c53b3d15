import { createRoute } from '@hono/zod-openapi';
import { TenantParams, TenantResponse } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { requireMayActFor } from './tenants-access';

/**
 * `GET /api/tenants/{tenantId}` (viewer): one tenant, 404 when unknown or outside the key's binding.
 *
 * @example
 * registerTenantsGet(app, deps);
 */
export function registerTenantsGet(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/tenants/{tenantId}',
    tags: ['Tenants'],
    summary: 'Get one tenant',
    description:
      'A tenant with its status, hosts and schedule; never a secret. 404 for a tenant nobody added ' +
      'and for one outside the key’s tenants. Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer', { tenant: 'none' })] as const,
    request: { params: TenantParams },
    responses: {
      200: { description: 'The tenant', content: { 'application/json': { schema: TenantResponse } } },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { tenantId } = c.req.valid('param');
    requireMayActFor(c, tenantId);
    const tenant = await deps.tenants.get(tenantId);
    if (!tenant) throw new AppError('not_found', `no tenant ${tenantId}`);
    return c.json({ success: true as const, tenant }, 200);
  });
}
