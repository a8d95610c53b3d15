import { createRoute } from '@hono/zod-openapi';
import { ConflictParams, ResolveQuery, ResolveRequest, ResolveResult } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { requestTenant } from '../auth/resolve-tenant';
import { checkResolution, submitResolution } from '../conflicts/submit';
import { waitForConflict } from '../conflicts/wait';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { findConflict, markReviewed, successorOf } from '../queries/conflicts';

/** A resolution is one small transaction; waiting longer than this means the applier is down. */
const maxWaitMs = 30_000;

/**
 * `POST /api/sync/pricebook/resolve-conflict/{id}` (operator): checks the resolution against the
 * conflict, queues a `resolve.command` (outbox + immediate publish), waits (bounded) for the
 * applier, and answers the outcome; 202 when it is still pending. `manual` publishes nothing:
 * it records who looked at the conflict (and their note) and answers 200 with it, still open.
 *
 * @example
 * registerConflictsResolve(app, deps);
 */
export function registerConflictsResolve(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'post',
    path: '/api/sync/pricebook/resolve-conflict/{id}',
    tags: ['Conflicts'],
    summary: 'Resolve a conflict',
    description:
      '`keep_st`, `keep_local`, or `merge` with a choice (`fields`) or a value (`values`) for every disputed ' +
      "field; each value must be one the entity's PATCH accepts, and read-only fields are refused. A record " +
      'that changed since the conflict was recorded is re-evaluated instead (`superseded`). `manual` leaves ' +
      'the conflict open for a person and records who looked at it, when, and an optional `note` (200, ' +
      '`status: unresolved`). Role: operator.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('operator')] as const,
    request: {
      params: ConflictParams,
      query: ResolveQuery,
      body: { required: true, content: { 'application/json': { schema: ResolveRequest } } },
    },
    responses: {
      200: {
        description:
          'The applier settled the command (`status` says how), or `manual` left the conflict open',
        content: { 'application/json': { schema: ResolveResult } },
      },
      202: {
        description: 'Queued; follow `Location` for the conflict',
        headers: { Location: { required: true, schema: { type: 'string' } } },
        content: { 'application/json': { schema: ResolveResult } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const { wait } = c.req.valid('query');
    const body = c.req.valid('json');
    const { tenantId } = requestTenant(c);
    const { waitPollMs, waitTimeoutMs } = deps.config;
    const load = () => findConflict(deps.orm.em.fork(), tenantId, id);
    const conflict = await load();
    if (!conflict) throw new AppError('not_found', `no conflict ${id}`);
    const checked = checkResolution(conflict, body);
    const log = c.get('log').child({ conflictId: id });
    if (checked.kind === 'manual') {
      const reviewed = await markReviewed(deps.orm.em.fork(), tenantId, id, checked);
      // Settled by the applier between the read and this write: as if it had been settled before.
      if (!reviewed) throw new AppError('conflict', `conflict ${id} is no longer unresolved`);
      log.info({ reviewedBy: checked.reviewedBy }, 'conflict left for a person');
      const result: ResolveResult = {
        success: true,
        conflictId: id,
        status: 'unresolved',
        conflict: reviewed,
        supersededBy: null,
      };
      return c.json(result, 200);
    }
    await submitResolution(deps, tenantId, id, checked.resolution, log);

    const waited = wait
      ? await waitForConflict(load, {
          timeoutMs: Math.min(waitTimeoutMs, maxWaitMs),
          pollMs: waitPollMs,
          signal: c.req.raw.signal,
        })
      : undefined;
    const now = waited ?? conflict;
    if (now.status === 'unresolved') {
      c.header('Location', `/api/sync/pricebook/conflicts/${id}`);
      const pending: ResolveResult = {
        success: true,
        conflictId: id,
        status: 'pending',
        conflict: now,
        supersededBy: null,
      };
      return c.json(pending, 202);
    }
    const superseded = now.status === 'superseded';
    const result: ResolveResult = {
      success: !superseded,
      conflictId: id,
      status: superseded ? 'superseded' : 'resolved',
      conflict: now,
      supersededBy: superseded ? await successorOf(deps.orm.em.fork(), tenantId, now) : null,
    };
    return c.json(result, 200);
  });
}
