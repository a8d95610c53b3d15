import { createRoute } from '@hono/zod-openapi';
import { IfMatchHeader, PricebookItemParams } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import type { ApiApp, RouteDeps } from '../context';
import { preconditionFailedResponse, problemResponses } from '../openapi/problems';
import { expectedVersion, writeLocalEdit } from '../pricebook/write';
import { recordRef } from '../queries/pricebook';

/**
 * `DELETE /api/pricebook/{entity}/{id}` (operator): soft-deletes a row (`deletedAt`) as a local
 * edit; deleting a deleted row again is a no-op.
 *
 * @example
 * registerPricebookDelete(app, deps);
 */
export function registerPricebookDelete(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'delete',
    path: '/api/pricebook/{entity}/{id}',
    tags: ['Pricebook'],
    summary: 'Delete a pricebook record',
    description:
      'Soft delete: the row keeps its data with `deletedAt` set, is announced (`record.deleted`, ' +
      'origin `local`) and the deletion is pushed by the next `to_st` sync. A row in conflict is ' +
      'refused with 409. Optional `If-Match` as for PATCH. Role: operator.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('operator')] as const,
    request: { params: PricebookItemParams, headers: IfMatchHeader },
    responses: {
      204: { description: 'Deleted (or already deleted)' },
      ...problemResponses(400, 401, 403, 404, 409, 500),
      ...preconditionFailedResponse,
    },
  });
  app.openapi(route, async (c) => {
    const { entity, id } = c.req.valid('param');
    const version = expectedVersion(c.req.valid('header')['if-match']);
    const ref = recordRef(id);
    if (!ref) throw new AppError('not_found', `no ${entity} record ${id}`);
    await writeLocalEdit(c, deps, entity, {
      op: 'delete',
      ref,
      ...(version === undefined ? {} : { expectedVersion: version }),
    });
    return c.body(null, 204);
  });
}
