import { createRoute } from '@hono/zod-openapi';
import { SyncAccepted, SyncQuery, SyncRequest, SyncResult } from '@pricebook/contracts';
import { createSync } from '@pricebook/db';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { fieldErrors } from '../errors/handle-error';
import { problemResponses } from '../openapi/problems';
import { findSyncLog, type SyncLogDetail } from '../queries/sync-logs';
import { dispatchCommand } from '../sync/dispatch';
import { isFinished, waitForSync } from '../sync/wait-for-sync';

export type SyncKind = 'full' | 'incremental';

const descriptions: Record<SyncKind, { summary: string; description: string }> = {
  full: {
    summary: 'Trigger a full sync',
    description:
      'Reads every ServiceTitan record of the requested entities; local rows ServiceTitan no longer has are ' +
      'deleted (refused above the mass-delete share unless `allowMassDelete`). Answers 202 at once with the ' +
      'sync log id, or with `?wait=true` the finished sync. Role: operator.',
  },
  incremental: {
    summary: 'Trigger an incremental sync',
    description:
      "Resumes each entity's ServiceTitan export feed from its saved token. Answers 202 at once with the " +
      'sync log id, or with `?wait=true` the finished sync. Role: operator.',
  },
};

/** The logs/:id address of a sync (the `Location` of a 202). */
export const syncLogLocation = (syncLogId: string) => `/api/sync/pricebook/logs/${syncLogId}`;

function syncRoute(kind: SyncKind, deps: RouteDeps) {
  return createRoute({
    method: 'post',
    path: `/api/sync/pricebook/${kind}`,
    tags: ['Sync'],
    ...descriptions[kind],
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('operator', { tenant: 'sync' })] as const,
    request: {
      query: SyncQuery,
      body: { required: false, content: { 'application/json': { schema: SyncRequest } } },
    },
    responses: {
      200: {
        description: 'With `?wait=true`: the sync finished (`success` says whether it completed)',
        content: { 'application/json': { schema: SyncResult } },
      },
      202: {
        description: 'The sync is queued; follow `Location` for its log',
        // Plain OpenAPI: a response header is documentation, not a shape anything parses.
        headers: {
          Location: {
            required: true,
            schema: {
              type: 'string',
              example: '/api/sync/pricebook/logs/6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a',
            },
          },
        },
        content: { 'application/json': { schema: SyncAccepted } },
      },
      ...problemResponses(400, 401, 403, 409, 500),
    },
  });
}

/** The spec's completed (or failed) shape of a finished sync. */
export function syncResult(log: SyncLogDetail): SyncResult {
  const status = log.status === 'failed' || log.status === 'cancelled' ? log.status : 'completed';
  return {
    success: status === 'completed',
    syncLogId: log.id,
    status,
    dryRun: log.dryRun,
    duration: log.durationMs,
    stats: log.stats,
    ...(status === 'completed' ? {} : { error: log.errorMessage ?? `the sync was ${status}` }),
  };
}

/**
 * Registers `POST /api/sync/pricebook/<kind>`: creates the sync (log, run locks, outbox command),
 * publishes the command, answers 202 + `Location`, or with `?wait=true` the finished sync.
 *
 * @example
 * registerStartSync(app, deps, 'full');
 */
export function registerStartSync(app: ApiApp, deps: RouteDeps, kind: SyncKind): void {
  app.openapi(syncRoute(kind, deps), async (c) => {
    const body = c.req.valid('json');
    const { wait } = c.req.valid('query');
    if (body.fullSync !== undefined && body.fullSync !== (kind === 'full')) {
      const other = kind === 'full' ? 'incremental' : 'full';
      throw fieldErrors([
        { path: 'fullSync', in: 'body', message: `must be ${kind === 'full'} on /${kind}; use /${other}` },
      ]);
    }
    const { fullSync: _decidedByEndpoint, ...options } = body;
    const principal = c.get('principal');
    const { tenantId } = requestTenant(c);
    const { runStaleAfterMs, waitTimeoutMs, waitPollMs } = deps.config;
    const created = await createSync(deps.orm.em.fork(), {
      tenantId,
      syncType: kind,
      options,
      triggeredBy: principal ? `api:${principal.label}` : 'api',
      staleAfterMs: runStaleAfterMs,
    });
    const { syncLogId } = created;
    const log = c.get('log').child({ syncLogId });
    const { entityTypes, dryRun } = created.command.data;
    log.info({ syncType: kind, entityTypes, dryRun }, 'sync created');
    await dispatchCommand(deps, created, log);
    c.header('Location', syncLogLocation(syncLogId));
    if (!wait) return c.json({ success: true as const, syncLogId, status: 'queued' as const }, 202);

    const outcome = await waitForSync(() => findSyncLog(deps.orm.em.fork(), tenantId, syncLogId), {
      timeoutMs: waitTimeoutMs,
      pollMs: waitPollMs,
      signal: c.req.raw.signal,
    });
    if (outcome && isFinished(outcome.status)) return c.json(syncResult(outcome), 200);
    const reached = outcome?.status;
    const status = reached === 'running' || reached === 'pushing' ? reached : ('queued' as const);
    return c.json({ success: true as const, syncLogId, status }, 202);
  });
}
