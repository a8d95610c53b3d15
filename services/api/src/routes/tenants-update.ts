import { createRoute } from '@hono/zod-openapi';
import { TenantParams, TenantResponse, TenantUpdateRequest } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { checkSchedule, requireMayActFor } from './tenants-access';

/**
 * `PATCH /api/tenants/{tenantId}` (admin): changes the fields given; a new secret replaces the old.
 *
 * @example
 * registerTenantsUpdate(app, deps);
 */
export function registerTenantsUpdate(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'patch',
    path: '/api/tenants/{tenantId}',
    tags: ['Tenants'],
    summary: 'Change a tenant',
    description:
      'Only the fields given change; a schedule field set to null takes the deployment’s setting ' +
      'again. New secrets are sealed and never returned or logged; the next sync or push uses them. ' +
      '409 for the deployment’s own tenant (change its `ST_*` settings) and a removed one. ' +
      'Role: admin.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin', { tenant: 'none' })] as const,
    request: {
      params: TenantParams,
      body: { required: true, content: { 'application/json': { schema: TenantUpdateRequest } } },
    },
    responses: {
      200: {
        description: 'The tenant as changed',
        content: { 'application/json': { schema: TenantResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { tenantId } = c.req.valid('param');
    requireMayActFor(c, tenantId);
    const patch = c.req.valid('json');
    if (patch.schedule) {
      const current = await deps.tenants.get(tenantId);
      if (!current) throw new AppError('not_found', `no tenant ${tenantId}`);
      checkSchedule(patch.schedule, current.schedule.timezone);
    }
    const tenant = await deps.tenants.update(tenantId, patch);
    // Which fields changed, never their values.
    c.get('log').info({ tenantId, fields: Object.keys(patch) }, 'tenant changed');
    return c.json({ success: true as const, tenant }, 200);
  });
}
