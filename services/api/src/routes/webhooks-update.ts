import { createRoute } from '@hono/zod-openapi';
import { WebhookParams, WebhookResponse, WebhookUpdateRequest } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `PATCH /api/webhooks/{id}` (admin): changes the URL, event types, entity filter or description.
 *
 * @example
 * registerWebhooksUpdate(app, deps);
 */
export function registerWebhooksUpdate(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'patch',
    path: '/api/webhooks/{id}',
    tags: ['Webhooks'],
    summary: 'Change a webhook subscription',
    description:
      'Only the fields given change; a new `url` passes the same checks as on creation. The secret ' +
      'stays. Role: admin.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin')] as const,
    request: {
      params: WebhookParams,
      body: { required: true, content: { 'application/json': { schema: WebhookUpdateRequest } } },
    },
    responses: {
      200: { description: 'The subscription', content: { 'application/json': { schema: WebhookResponse } } },
      ...problemResponses(400, 401, 403, 404, 409, 500),
    },
  });
  app.openapi(route, async (c) => {
    const tenantId = requestTenant(c).tenantId;
    const webhook = await deps.webhooks.update(tenantId, c.req.valid('param').id, c.req.valid('json'));
    c.get('log').info({ tenantId, webhookId: webhook.id }, 'webhook changed');
    return c.json({ success: true as const, webhook }, 200);
  });
}
