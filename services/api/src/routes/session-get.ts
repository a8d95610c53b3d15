import { createRoute } from '@hono/zod-openapi';
import { SessionResponse } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { implicitTenantId } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `GET /api/session` (viewer): who the caller is: its role, the key's label, the tenant, and for a
 * session cookie when it ends and its CSRF token (so a reloaded console page finds it again).
 *
 * @example
 * registerSessionGet(app, deps);
 */
export function registerSessionGet(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/session',
    tags: ['Session'],
    summary: 'Who am I',
    description:
      "The caller's role and key label. With the session cookie also `expiresAt` and `csrfToken`; with a " +
      'bearer key both are null. Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer', { tenant: 'none' })] as const,
    responses: {
      200: { description: 'The caller', content: { 'application/json': { schema: SessionResponse } } },
      ...problemResponses(401, 403, 500),
    },
  });
  app.openapi(route, (c) => {
    const principal = c.get('principal');
    // The guard ran before the handler; without a principal the route was wired wrongly.
    if (!principal) throw new AppError('unauthorized', 'sign in first');
    const session = c.get('session');
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        role: principal.role,
        principal: principal.label,
        tenant: implicitTenantId(principal, deps.tenants.defaultTenantId) ?? null,
        tenants: principal.tenants ? [...principal.tenants] : null,
        expiresAt: session ? new Date(session.exp).toISOString() : null,
        csrfToken: session ? deps.auth.sessions.csrfToken(session) : null,
      },
      200,
    );
  });
}
