import { createRoute } from '@hono/zod-openapi';
import { TenantListResponse } from '@pricebook/contracts';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { callerMayActFor } from './tenants-access';

/**
 * `GET /api/tenants` (viewer): every tenant the key may act for, the environment's first.
 *
 * @example
 * registerTenantsList(app, deps);
 */
export function registerTenantsList(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/tenants',
    tags: ['Tenants'],
    summary: 'List tenants',
    description:
      "The deployment's own tenant (`ST_TENANT_ID`, source `environment`) first, then those added " +
      'through this API, removed ones included. A key bound to tenants sees only those. Never a ' +
      'secret. Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer', { tenant: 'none' })] as const,
    responses: {
      200: {
        description: 'The tenants',
        content: { 'application/json': { schema: TenantListResponse } },
      },
      ...problemResponses(401, 403, 500),
    },
  });
  app.openapi(route, async (c) => {
    const tenants = (await deps.tenants.list()).filter((t) => callerMayActFor(c, t.tenantId));
    return c.json({ success: true as const, tenants }, 200);
  });
}
