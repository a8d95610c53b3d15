import { createRoute } from '@hono/zod-openapi';
import { WebhookList, WebhooksQuery } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `GET /api/webhooks` (admin): the tenant's webhook subscriptions, newest first, never a secret.
 *
 * @example
 * registerWebhooksList(app, deps);
 */
export function registerWebhooksList(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/webhooks',
    tags: ['Webhooks'],
    summary: 'List webhook subscriptions',
    description:
      'Newest first, filtered by `status`; page with `cursor`. Signing secrets are never shown. Role: admin.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin')] as const,
    request: { query: WebhooksQuery },
    responses: {
      200: {
        description: 'One page of subscriptions',
        content: { 'application/json': { schema: WebhookList } },
      },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const { webhooks, nextCursor } = await deps.webhooks.list(requestTenant(c).tenantId, query);
    return c.json({ success: true as const, webhooks, page: { limit: query.limit, nextCursor } }, 200);
  });
}
