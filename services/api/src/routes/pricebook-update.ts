import { createRoute } from '@hono/zod-openapi';
import {
  IfMatchHeader,
  PricebookItemParams,
  PricebookItemResponse,
  PricebookRecordBody,
} from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import type { ApiApp, RouteDeps } from '../context';
import { preconditionFailedResponse, problemResponses } from '../openapi/problems';
import { etag, expectedVersion, writeLocalEdit } from '../pricebook/write';
import { recordRef } from '../queries/pricebook';

/**
 * `PATCH /api/pricebook/{entity}/{id}` (operator): changes some fields of a row as a local edit.
 *
 * @example
 * registerPricebookUpdate(app, deps);
 */
export function registerPricebookUpdate(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'patch',
    path: '/api/pricebook/{entity}/{id}',
    tags: ['Pricebook'],
    summary: 'Update a pricebook record',
    description:
      "Only the fields to change, validated against the entity's ServiceTitan update schema " +
      '(read-only fields are refused with 400). A row in conflict is refused with 409: resolve it ' +
      'first. With `If-Match: "<version>"` the update runs only if the row is still at that version ' +
      '(412 otherwise). Sending values the row already has writes nothing. Role: operator.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('operator')] as const,
    request: {
      params: PricebookItemParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: PricebookRecordBody } } },
    },
    responses: {
      200: {
        description: 'The record after the edit',
        content: { 'application/json': { schema: PricebookItemResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500),
      ...preconditionFailedResponse,
    },
  });
  app.openapi(route, async (c) => {
    const { entity, id } = c.req.valid('param');
    const record = c.req.valid('json');
    const version = expectedVersion(c.req.valid('header')['if-match']);
    const ref = recordRef(id);
    if (!ref) throw new AppError('not_found', `no ${entity} record ${id}`);
    const { row } = await writeLocalEdit(c, deps, entity, {
      op: 'update',
      ref,
      record,
      ...(version === undefined ? {} : { expectedVersion: version }),
    });
    c.header('ETag', etag(row.version));
    return c.json({ success: true as const, item: row }, 200);
  });
}
