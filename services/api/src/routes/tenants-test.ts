import { createRoute } from '@hono/zod-openapi';
import { TenantConnectionTestResponse, TenantParams } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { testConnection } from '@pricebook/tenants';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { requireMayActFor } from './tenants-access';

/**
 * `POST /api/tenants/{tenantId}/test` (operator): "test connection" with the tenant's stored
 * credentials, a token and then one page of materials.
 *
 * @example
 * registerTenantsTest(app, deps);
 */
export function registerTenantsTest(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'post',
    path: '/api/tenants/{tenantId}/test',
    tags: ['Tenants'],
    summary: 'Test a tenant’s connection',
    description:
      'Asks ServiceTitan for a token, then reads one page of materials, as the tenant. Answers 200 ' +
      'with the result whether it worked or not: `ok`, the `step` that failed (`credentials`, ' +
      '`token`, `read`), ServiceTitan’s status and the reason (never a credential). A paused tenant ' +
      'fails at `credentials`. 404 for an unknown tenant. Role: operator.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('operator', { tenant: 'none' })] as const,
    request: { params: TenantParams },
    responses: {
      200: {
        description: 'What the test found',
        content: { 'application/json': { schema: TenantConnectionTestResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { tenantId } = c.req.valid('param');
    requireMayActFor(c, tenantId);
    if (!(await deps.tenants.get(tenantId))) throw new AppError('not_found', `no tenant ${tenantId}`);
    const test = await testConnection(() => deps.tenants.connection(tenantId), {
      orm: deps.orm,
      log: c.get('log'),
    });
    c.get('log').info(
      { tenantId, ok: test.ok, step: test.step, status: test.status },
      'tenant connection tested',
    );
    return c.json({ success: true as const, test }, 200);
  });
}
