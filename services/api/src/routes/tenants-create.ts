import { createRoute } from '@hono/zod-openapi';
import { TenantCreateRequest, TenantResponse } from '@pricebook/contracts';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { checkSchedule, requireUnbound } from './tenants-access';

/**
 * `POST /api/tenants` (admin, a key bound to no tenant): adds a tenant, its secrets sealed.
 *
 * @example
 * registerTenantsCreate(app, deps);
 */
export function registerTenantsCreate(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'post',
    path: '/api/tenants',
    tags: ['Tenants'],
    summary: 'Add a tenant',
    description:
      'Stores a ServiceTitan tenant and its app credentials; `clientSecret` and `appKey` are sealed ' +
      '(AES-256-GCM with `TENANT_SECRETS_KEYS`) and never returned or logged. A removed tenant is ' +
      'added again with its data intact. A schedule’s crons and time zone are checked as the ' +
      'scheduler reads them. 409 when the tenant exists, is the deployment’s own (`ST_TENANT_ID`), ' +
      'or `TENANT_SECRETS_KEYS` is not set. Role: admin, with a key bound to no tenant.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin', { tenant: 'none' })] as const,
    request: {
      body: { required: true, content: { 'application/json': { schema: TenantCreateRequest } } },
    },
    responses: {
      201: {
        description: 'Added; `Location` names the tenant',
        content: { 'application/json': { schema: TenantResponse } },
      },
      ...problemResponses(400, 401, 403, 409, 500),
    },
  });
  app.openapi(route, async (c) => {
    requireUnbound(c);
    const input = c.req.valid('json');
    checkSchedule(input.schedule);
    const tenant = await deps.tenants.create(input);
    c.get('log').info({ tenantId: tenant.tenantId }, 'tenant added');
    c.header('Location', `/api/tenants/${tenant.tenantId}`);
    return c.json({ success: true as const, tenant }, 201);
  });
}
