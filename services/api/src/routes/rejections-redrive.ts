import { createRoute } from '@hono/zod-openapi';
import { messageIds, parseMessage, RedriveResult, RejectionParams } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { findRejection, removeRejection } from '../queries/rejections';

function parsePayload(subject: string, payload: string) {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    throw new AppError('conflict', 'the dead letter is not JSON; there is nothing to redrive');
  }
  const parsed = parseMessage(subject, json);
  if (!parsed.success) {
    throw new AppError(
      'conflict',
      `the dead letter does not match the contract (${parsed.reason}): ${parsed.detail}`,
    );
  }
  return parsed.message;
}

/**
 * `POST /api/sync/pricebook/rejections/{id}/redrive` (operator): publishes a dead-lettered message
 * again on its subject, once its cause is fixed, and removes the dead letter.
 *
 * @example
 * registerRejectionsRedrive(app, deps);
 */
export function registerRejectionsRedrive(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'post',
    path: '/api/sync/pricebook/rejections/{id}/redrive',
    tags: ['Sync'],
    summary: 'Redrive a rejected message',
    description:
      'Publishes the dead-lettered message again, unchanged, on its subject (`Nats-Msg-Id` ' +
      '`redrive:<id>`, so a repeated redrive within the duplicate window is dropped), and removes the ' +
      'dead letter; if the message fails again it is dead-lettered anew with its new reason. A payload ' +
      'that no longer parses against the contract, or one an operator discarded, is refused (409). Role: operator.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('operator')] as const,
    request: { params: RejectionParams },
    responses: {
      200: {
        description: 'Published again',
        content: { 'application/json': { schema: RedriveResult } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500, 503),
    },
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const rejection = await findRejection(deps.orm.em.fork(), requestTenant(c).tenantId, id);
    if (!rejection) throw new AppError('not_found', `no rejected message ${id}`);
    if (rejection.status === 'discarded') {
      throw new AppError(
        'conflict',
        `the dead letter was discarded by ${rejection.discardedBy} (${rejection.discardReason}); it is not redriven`,
      );
    }
    const message = parsePayload(rejection.subject, rejection.payload);
    if (!deps.republish)
      throw new AppError('unavailable', 'no message broker connection', { dependency: 'nats' });
    const natsMsgId = messageIds.redrive(id);
    await deps.republish(message, natsMsgId);
    await removeRejection(deps.orm.em.fork(), id);
    c.get('log').info(
      { deadLetterId: id, subject: rejection.subject, messageId: message.id },
      'dead letter redriven',
    );
    return c.json(
      {
        success: true as const,
        redriven: { id, subject: rejection.subject, messageId: message.id, natsMsgId },
      },
      200,
    );
  });
}
