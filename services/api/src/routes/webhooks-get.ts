import { createRoute } from '@hono/zod-openapi';
import { WebhookParams, WebhookResponse } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `GET /api/webhooks/{id}` (admin): one subscription, never its secret.
 *
 * @example
 * registerWebhooksGet(app, deps);
 */
export function registerWebhooksGet(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/webhooks/{id}',
    tags: ['Webhooks'],
    summary: 'Get a webhook subscription',
    description: 'With its status and, when disabled, why. The signing secret is never shown. Role: admin.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin')] as const,
    request: { params: WebhookParams },
    responses: {
      200: { description: 'The subscription', content: { 'application/json': { schema: WebhookResponse } } },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(route, async (c) => {
    const webhook = await deps.webhooks.get(requestTenant(c).tenantId, c.req.valid('param').id);
    return c.json({ success: true as const, webhook }, 200);
  });
}
