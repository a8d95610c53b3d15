import { createRoute } from '@hono/zod-openapi';
import { WebhookAttemptList, WebhookAttemptsQuery, WebhookDeliveryParams } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `GET /api/webhooks/{id}/deliveries/{deliveryId}/attempts` (admin): a delivery's attempt
 * history, newest first.
 *
 * @example
 * registerWebhooksAttempts(app, deps);
 */
export function registerWebhooksAttempts(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/webhooks/{id}/deliveries/{deliveryId}/attempts',
    tags: ['Webhooks'],
    summary: 'List the attempts of a webhook delivery',
    description:
      'Every attempt to deliver the event: when, its outcome, the HTTP status, how long it took, the ' +
      'error (trimmed), at most 1 KB of the response body, and the `Retry-After` it honoured. No request ' +
      'header (so no signature) is kept. Newest first; page with `cursor`. A replay keeps the earlier ' +
      'attempts and numbers its own from 1. Role: admin.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin')] as const,
    request: { params: WebhookDeliveryParams, query: WebhookAttemptsQuery },
    responses: {
      200: {
        description: 'One page of attempts',
        content: { 'application/json': { schema: WebhookAttemptList } },
      },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const { id, deliveryId } = c.req.valid('param');
    const { attempts, nextCursor } = await deps.webhooks.attempts(
      requestTenant(c).tenantId,
      id,
      deliveryId,
      query,
    );
    return c.json({ success: true as const, attempts, page: { limit: query.limit, nextCursor } }, 200);
  });
}
