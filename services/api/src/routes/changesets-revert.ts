import { createRoute } from '@hono/zod-openapi';
import { ChangeSetParams, RevertBody, RevertResponse } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { requestTenant } from '../auth/resolve-tenant';
import { revertChangeSet } from '../changesets/revert';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `POST /api/changesets/{id}/revert` (operator): writes a change-set's before-values back, or
 * (the default, `dryRun: true`) says exactly what that would do.
 *
 * @example
 * registerChangeSetsRevert(app, deps);
 */
export function registerChangeSetsRevert(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'post',
    path: '/api/changesets/{id}/revert',
    tags: ['Change-sets'],
    summary: 'Revert a change-set',
    description:
      'Writes the before-values of a change-set back as local edits (origin `revert`, the caller as ' +
      'actor), in a new change-set of kind `revert` linked both ways, and announces `changeset.reverted`. ' +
      'A row or field someone changed after the change-set keeps its later value and is listed in ' +
      '`skipped`, as is a row with an open conflict. Rows it created are deleted; rows it deleted are ' +
      'restored if they still exist. The rows become `pending_sync`: the next push sends them to ' +
      'ServiceTitan, under the push brake. `dryRun` defaults to true: the answer is exactly what the ' +
      'revert would do, and nothing is written. A change-set is reverted once (409 after). Role: operator.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('operator')] as const,
    request: {
      params: ChangeSetParams,
      body: { required: false, content: { 'application/json': { schema: RevertBody } } },
    },
    responses: {
      200: {
        description: 'What was (or, on a dry run, would be) written back and what was left alone',
        content: { 'application/json': { schema: RevertResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    // Without a body (or `Content-Type`) the validator passes nothing through: only an explicit
    // `dryRun: false` writes.
    const body: Partial<RevertBody> | undefined = c.req.valid('json');
    const dryRun = body?.dryRun !== false;
    const principal = c.get('principal');
    // The guard ran before the handler; without a principal the route was wired wrongly.
    if (!principal) throw new AppError('unauthorized', 'an API key is required: Authorization: Bearer <key>');
    const result = await revertChangeSet(deps.orm, {
      tenantId: requestTenant(c).tenantId,
      changeSetId: id,
      dryRun,
      actor: `api:${principal.label}`,
    });
    return c.json(result, 200);
  });
}
