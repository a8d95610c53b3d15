import { createRoute } from '@hono/zod-openapi';
import { DiscardBody, DiscardResult, RejectionParams } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { requestPrincipal } from '../assistant/request-context';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { discardRejection, findRejection } from '../queries/rejections';

/**
 * `POST /api/sync/pricebook/rejections/{id}/discard` (operator): marks a dead letter nobody will
 * redrive as dropped on purpose, with who and why. The row stays, as the trace, until retention.
 *
 * @example
 * registerRejectionsDiscard(app, deps);
 */
export function registerRejectionsDiscard(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'post',
    path: '/api/sync/pricebook/rejections/{id}/discard',
    tags: ['Sync'],
    summary: 'Discard a rejected message',
    description:
      'Marks the dead letter discarded (by your key label, now, with the reason given) without deleting ' +
      'it: it leaves the default list of rejections (`?status=discarded` shows it), cannot be redriven, ' +
      'and is purged by retention like any other. A dead letter already discarded is refused (409). ' +
      'Allowed for a removed tenant too: its letters are the ones nobody will redrive. Role: operator.',
    security: [{ bearerAuth: [] }],
    // Discarding touches no pricebook data, only the engine's own record of a message.
    middleware: [deps.guard('operator', { tenant: 'read' })] as const,
    request: {
      params: RejectionParams,
      body: { required: true, content: { 'application/json': { schema: DiscardBody } } },
    },
    responses: {
      200: {
        description: 'Discarded',
        content: { 'application/json': { schema: DiscardResult } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const tenantId = requestTenant(c).tenantId;
    const by = requestPrincipal(c).label;
    const rejection = await discardRejection(deps.orm.em.fork(), tenantId, id, { by, reason });
    if (!rejection) {
      const current = await findRejection(deps.orm.em.fork(), tenantId, id);
      if (!current) throw new AppError('not_found', `no rejected message ${id}`);
      throw new AppError(
        'conflict',
        `the dead letter was already discarded by ${current.discardedBy} at ${current.discardedAt}`,
      );
    }
    c.get('log').info(
      { deadLetterId: id, subject: rejection.subject, discardedBy: by, discardReason: reason },
      'dead letter discarded',
    );
    return c.json({ success: true as const, rejection }, 200);
  });
}
