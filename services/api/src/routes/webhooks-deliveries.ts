import { createRoute } from '@hono/zod-openapi';
import { WebhookDeliveriesQuery, WebhookDeliveryList, WebhookParams } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `GET /api/webhooks/{id}/deliveries` (admin): the delivery log, newest first.
 *
 * @example
 * registerWebhooksDeliveries(app, deps);
 */
export function registerWebhooksDeliveries(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/webhooks/{id}/deliveries',
    tags: ['Webhooks'],
    summary: 'List the deliveries of a webhook subscription',
    description:
      'One delivery per event: its status, attempts, last HTTP status, error and response time, and ' +
      'when it is tried next. Newest first, filtered by `status`; page with `cursor`. Role: admin.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin')] as const,
    request: { params: WebhookParams, query: WebhookDeliveriesQuery },
    responses: {
      200: {
        description: 'One page of deliveries',
        content: { 'application/json': { schema: WebhookDeliveryList } },
      },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const { deliveries, nextCursor } = await deps.webhooks.deliveries(
      requestTenant(c).tenantId,
      c.req.valid('param').id,
      query,
    );
    return c.json({ success: true as const, deliveries, page: { limit: query.limit, nextCursor } }, 200);
  });
}
