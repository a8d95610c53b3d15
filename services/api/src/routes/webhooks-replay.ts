import { createRoute } from '@hono/zod-openapi';
import {
  WebhookDeliveryParams,
  WebhookDeliveryResponse,
  WebhookParams,
  WebhookReplayRequest,
  WebhookReplayResponse,
} from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `POST /api/webhooks/{id}/deliveries/{deliveryId}/replay` and `POST /api/webhooks/{id}/replay`
 * (admin): send one delivery, or every delivery of a time range, again.
 *
 * @example
 * registerWebhooksReplay(app, deps);
 */
export function registerWebhooksReplay(app: ApiApp, deps: RouteDeps): void {
  const one = createRoute({
    method: 'post',
    path: '/api/webhooks/{id}/deliveries/{deliveryId}/replay',
    tags: ['Webhooks'],
    summary: 'Replay one delivery',
    description:
      'The delivery is due again at once with a fresh retry schedule: the same event id (`webhook-id`) ' +
      'and body, a new timestamp and signature. A disabled subscription sends it once enabled. Role: admin.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin')] as const,
    request: { params: WebhookDeliveryParams },
    responses: {
      200: {
        description: 'The delivery, pending',
        content: { 'application/json': { schema: WebhookDeliveryResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500),
    },
  });
  app.openapi(one, async (c) => {
    const { id, deliveryId } = c.req.valid('param');
    const tenantId = requestTenant(c).tenantId;
    const delivery = await deps.webhooks.replayOne(tenantId, id, deliveryId);
    c.get('log').info({ tenantId, webhookId: id, deliveryId }, 'webhook delivery replayed');
    return c.json({ success: true as const, delivery }, 200);
  });

  const range = createRoute({
    method: 'post',
    path: '/api/webhooks/{id}/replay',
    tags: ['Webhooks'],
    summary: 'Replay the deliveries of a time range',
    description:
      'Every delivery recorded for this subscription whose event happened at or after `since` and ' +
      'before `until` (default now) is due again at once, whatever its status, from the body it ' +
      'recorded. Receivers deduplicate by `webhook-id`. Role: admin.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin')] as const,
    request: {
      params: WebhookParams,
      body: { required: true, content: { 'application/json': { schema: WebhookReplayRequest } } },
    },
    responses: {
      200: {
        description: 'How many deliveries were queued again',
        content: { 'application/json': { schema: WebhookReplayResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500),
    },
  });
  app.openapi(range, async (c) => {
    const { id } = c.req.valid('param');
    const tenantId = requestTenant(c).tenantId;
    const queued = await deps.webhooks.replayRange(tenantId, id, c.req.valid('json'));
    c.get('log').info({ tenantId, webhookId: id, queued }, 'webhook deliveries replayed');
    return c.json({ success: true as const, queued }, 200);
  });
}
