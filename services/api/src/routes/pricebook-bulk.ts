import { createRoute } from '@hono/zod-openapi';
import { BulkEditBody, BulkEditResponse, PricebookParams } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { preconditionFailedResponse, problemResponses } from '../openapi/problems';
import { bulkEdit } from '../pricebook/bulk';

/**
 * `POST /api/pricebook/{entity}/bulk` (operator): updates many rows of one entity at once, all or
 * nothing, as one change-set.
 *
 * @example
 * registerPricebookBulk(app, deps);
 */
export function registerPricebookBulk(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'post',
    path: '/api/pricebook/{entity}/bulk',
    tags: ['Pricebook'],
    summary: 'Update many pricebook records',
    description:
      'A list of `{ id, fields, version? }` (at most 1000): each is validated like `PATCH ' +
      '/api/pricebook/{entity}/{id}` (`id` a uuid or `st:<stId>`, `version` as `If-Match`). All or ' +
      'nothing: one bad item (400), unknown or deleted row (404), row in conflict (409) or stale ' +
      'version (412) refuses the whole list and names the item. The rows changed are one change-set ' +
      '(kind `bulk_edit`): `POST /api/changesets/{changeSetId}/revert` undoes them together. Role: operator.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('operator')] as const,
    request: {
      params: PricebookParams,
      body: { required: true, content: { 'application/json': { schema: BulkEditBody } } },
    },
    responses: {
      200: {
        description: 'Every row after the edit, and the change-set',
        content: { 'application/json': { schema: BulkEditResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500),
      ...preconditionFailedResponse,
    },
  });
  app.openapi(route, async (c) => {
    const { entity } = c.req.valid('param');
    const { items } = c.req.valid('json');
    const principal = c.get('principal');
    // The guard ran before the handler; without a principal the route was wired wrongly.
    if (!principal) throw new AppError('unauthorized', 'an API key is required: Authorization: Bearer <key>');
    const result = await bulkEdit(deps.orm, {
      tenantId: requestTenant(c).tenantId,
      entity,
      actor: `api:${principal.label}`,
      items,
    });
    return c.json({ success: true as const, ...result }, 200);
  });
}
