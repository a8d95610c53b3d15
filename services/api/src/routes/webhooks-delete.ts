import { createRoute } from '@hono/zod-openapi';
import { WebhookParams } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `DELETE /api/webhooks/{id}` (admin): removes a subscription and its delivery log.
 *
 * @example
 * registerWebhooksDelete(app, deps);
 */
export function registerWebhooksDelete(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'delete',
    path: '/api/webhooks/{id}',
    tags: ['Webhooks'],
    summary: 'Delete a webhook subscription',
    description: 'Nothing more is delivered to it; its delivery log goes with it. Idempotent. Role: admin.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin')] as const,
    request: { params: WebhookParams },
    responses: {
      204: { description: 'Deleted (or already deleted)' },
      ...problemResponses(400, 401, 403, 404, 409, 500),
    },
  });
  app.openapi(route, async (c) => {
    const tenantId = requestTenant(c).tenantId;
    const { id } = c.req.valid('param');
    if (await deps.webhooks.delete(tenantId, id))
      c.get('log').info({ tenantId, webhookId: id }, 'webhook deleted');
    return c.body(null, 204);
  });
}
