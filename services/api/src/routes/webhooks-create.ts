import { createRoute } from '@hono/zod-openapi';
import { WebhookCreated, WebhookCreateRequest } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `POST /api/webhooks` (admin): subscribes a URL to event types; answers the signing secret once.
 *
 * @example
 * registerWebhooksCreate(app, deps);
 */
export function registerWebhooksCreate(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'post',
    path: '/api/webhooks',
    tags: ['Webhooks'],
    summary: 'Add a webhook subscription',
    description:
      'Deliveries of the chosen event types (optionally only about some entity types) are POSTed to ' +
      '`url`, signed as Standard Webhooks. The URL must be `https` and its host resolve to public ' +
      'addresses only (400 naming why otherwise) unless the operator set `WEBHOOKS_ALLOW_PRIVATE_URLS`. ' +
      'The answer carries the signing secret (`whsec_…`) this once: it is stored sealed and never ' +
      'returned again. 409 when `TENANT_SECRETS_KEYS` is not set. Role: admin.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: WebhookCreateRequest } } } },
    responses: {
      201: {
        description: 'Added; `Location` names it. Keep `secret`: it is not shown again',
        content: { 'application/json': { schema: WebhookCreated } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500),
    },
  });
  app.openapi(route, async (c) => {
    const tenantId = requestTenant(c).tenantId;
    const { webhook, secret } = await deps.webhooks.create(tenantId, c.req.valid('json'));
    c.get('log').info({ tenantId, webhookId: webhook.id }, 'webhook added');
    c.header('Location', `/api/webhooks/${webhook.id}`);
    c.header('Cache-Control', 'no-store');
    return c.json({ success: true as const, webhook, secret }, 201);
  });
}
