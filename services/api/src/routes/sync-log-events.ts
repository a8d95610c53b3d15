import { createRoute, z } from '@hono/zod-openapi';
import { LogParams, SyncProgress } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { streamSSE } from 'hono/streaming';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { registerSchema } from '../openapi/document';
import { problemResponses } from '../openapi/problems';
import { progressStreamExample } from '../openapi/progress-example';
import { loadSyncProgress } from '../queries/sync-progress';
import { followSync } from '../sync/follow-sync';

/** Proxies and load balancers close a connection that stays silent for about a minute. */
const keepAliveMs = 15_000;

/** The event a snapshot is sent as: `progress` until the sync ends, then `completed` or `failed`. */
export function progressEventName(status: SyncProgress['status']): 'progress' | 'completed' | 'failed' {
  if (status === 'completed') return 'completed';
  // A cancelled sync did not do its work either; `data.status` tells the two apart.
  if (status === 'failed' || status === 'cancelled') return 'failed';
  return 'progress';
}

/** The last event id the client saw (`Last-Event-ID` on a reconnect), so ids keep increasing. */
function resumeFrom(header: string | undefined): number {
  const n = Number(header);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/**
 * `GET /api/sync/pricebook/logs/{id}/events` (viewer): server-sent events of one sync's progress,
 * read by polling its sync log; a `progress` event whenever the counters or status move, then one
 * `completed` or `failed` event, then the stream closes.
 *
 * @example
 * registerSyncLogEvents(app, deps);
 * // curl -N -H "Authorization: Bearer $KEY" $API/api/sync/pricebook/logs/$ID/events
 */
export function registerSyncLogEvents(app: ApiApp, deps: RouteDeps): void {
  registerSchema(app, 'SyncProgress', SyncProgress);
  const route = createRoute({
    method: 'get',
    path: '/api/sync/pricebook/logs/{id}/events',
    tags: ['Sync'],
    summary: "Follow a sync's progress (server-sent events)",
    description:
      'A `text/event-stream`: `event: progress` whenever the status or counters change (the first one at ' +
      'once), then a final `event: completed` or `event: failed` (also for a cancelled sync), after which the ' +
      'server closes the stream. Each `data` is a `SyncProgress` JSON object; `id` increases by one per event ' +
      '(continuing from `Last-Event-ID` on a reconnect). A `: keep-alive` comment is sent every 15 s. ' +
      'For a sync that has already ended, the stream holds only its final event. Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { params: LogParams },
    responses: {
      200: {
        description: 'The event stream; each `data` is a `SyncProgress` object',
        content: {
          'text/event-stream': {
            schema: z.string().openapi({ example: progressStreamExample }),
          },
        },
      },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const { tenantId } = requestTenant(c);
    const { waitPollMs } = deps.config;
    const load = () => loadSyncProgress(deps.orm.em.fork(), tenantId, id);
    const first = await load();
    // Checked before the stream starts, so an unknown id is an ordinary 404 problem.
    if (!first) throw new AppError('not_found', `no sync log ${id}`);
    let seq = resumeFrom(c.req.header('last-event-id'));
    const log = c.get('log');
    const gone = new AbortController();
    c.req.raw.signal.addEventListener('abort', () => gone.abort(), { once: true });
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => gone.abort());
      const keepAlive = setInterval(() => void stream.write(': keep-alive\n\n'), keepAliveMs);
      try {
        for await (const progress of followSync(load, first, { pollMs: waitPollMs, signal: gone.signal })) {
          seq += 1;
          await stream.writeSSE({
            event: progressEventName(progress.status),
            id: String(seq),
            data: JSON.stringify(progress),
          });
        }
      } catch (err) {
        log.error({ err, syncLogId: id }, 'progress stream failed');
        await stream.writeSSE({
          event: 'error',
          data: JSON.stringify({ code: 'internal', detail: 'the progress stream failed; reconnect' }),
        });
      } finally {
        clearInterval(keepAlive);
      }
    });
  });
}
