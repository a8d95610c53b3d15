import { createRoute } from '@hono/zod-openapi';
import { WebhookParams, WebhookResponse } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `POST /api/webhooks/{id}/enable` (admin): delivers to a disabled subscription again.
 *
 * @example
 * registerWebhooksEnable(app, deps);
 */
export function registerWebhooksEnable(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'post',
    path: '/api/webhooks/{id}/enable',
    tags: ['Webhooks'],
    summary: 'Enable a webhook subscription again',
    description:
      'Clears the reason it was disabled; its pending deliveries go out at once, and new events are ' +
      'recorded for it again (events published while it was disabled are not: replay a range to ' +
      'resend ones it had recorded). Idempotent. Role: admin.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin')] as const,
    request: { params: WebhookParams },
    responses: {
      200: {
        description: 'The subscription, active',
        content: { 'application/json': { schema: WebhookResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500),
    },
  });
  app.openapi(route, async (c) => {
    const tenantId = requestTenant(c).tenantId;
    const webhook = await deps.webhooks.enable(tenantId, c.req.valid('param').id);
    c.get('log').info({ tenantId, webhookId: webhook.id }, 'webhook enabled');
    return c.json({ success: true as const, webhook }, 200);
  });
}
