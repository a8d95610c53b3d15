import { createRoute } from '@hono/zod-openapi';
import { TenantParams, TenantResponse, type TenantStatus } from '@pricebook/contracts';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { requireMayActFor } from './tenants-access';

type Action = 'pause' | 'resume';

const statusAfter: Record<Action, TenantStatus> = { pause: 'paused', resume: 'active' };

const descriptions: Record<Action, string> = {
  pause:
    'The tenant keeps its data and schedules but takes no sync or push until resumed; a sync ' +
    'asked for it answers 409 `tenant_unavailable`. Idempotent. Role: admin.',
  resume: 'The tenant syncs again on its schedules. Idempotent; 409 for a removed tenant. Role: admin.',
};

/**
 * `POST /api/tenants/{tenantId}/pause` and `/resume` (admin): stop and restart a tenant's syncs.
 *
 * @example
 * registerTenantsStatus(app, deps);
 */
export function registerTenantsStatus(app: ApiApp, deps: RouteDeps): void {
  for (const action of ['pause', 'resume'] as const) {
    const route = createRoute({
      method: 'post',
      path: `/api/tenants/{tenantId}/${action}`,
      tags: ['Tenants'],
      summary: action === 'pause' ? 'Pause a tenant' : 'Resume a tenant',
      description: descriptions[action],
      security: [{ bearerAuth: [] }],
      middleware: [deps.guard('admin', { tenant: 'none' })] as const,
      request: { params: TenantParams },
      responses: {
        200: {
          description: 'The tenant with its new status',
          content: { 'application/json': { schema: TenantResponse } },
        },
        ...problemResponses(400, 401, 403, 404, 409, 500),
      },
    });
    app.openapi(route, async (c) => {
      const { tenantId } = c.req.valid('param');
      requireMayActFor(c, tenantId);
      const tenant = await deps.tenants.setStatus(tenantId, statusAfter[action]);
      c.get('log').info({ tenantId, status: tenant.status }, `tenant ${action}d`);
      return c.json({ success: true as const, tenant }, 200);
    });
  }
}
