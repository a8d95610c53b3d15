import { createRoute } from '@hono/zod-openapi';
import { PricebookItemResponse, PricebookParams, PricebookRecordBody } from '@pricebook/contracts';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { etag, writeLocalEdit } from '../pricebook/write';

/**
 * `POST /api/pricebook/{entity}` (operator): creates a local row, `pending_sync` and without an
 * `stId` until it is pushed to ServiceTitan.
 *
 * @example
 * registerPricebookCreate(app, deps);
 */
export function registerPricebookCreate(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'post',
    path: '/api/pricebook/{entity}',
    tags: ['Pricebook'],
    summary: 'Create a pricebook record',
    description:
      "The body is validated against the entity's ServiceTitan create schema (required fields, " +
      'types, no read-only fields); a 400 names every bad field. The row is audited, announced ' +
      '(`record.created`, origin `local`) and pushed by the next `to_st` sync. Role: operator.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('operator')] as const,
    request: {
      params: PricebookParams,
      body: { required: true, content: { 'application/json': { schema: PricebookRecordBody } } },
    },
    responses: {
      201: {
        description: 'Created; `Location` names the new row',
        content: { 'application/json': { schema: PricebookItemResponse } },
      },
      ...problemResponses(400, 401, 403, 409, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { entity } = c.req.valid('param');
    const record = c.req.valid('json');
    const { row } = await writeLocalEdit(c, deps, entity, { op: 'create', record });
    c.header('Location', `/api/pricebook/${entity}/${row.id}`);
    c.header('ETag', etag(row.version));
    return c.json({ success: true as const, item: row }, 201);
  });
}
