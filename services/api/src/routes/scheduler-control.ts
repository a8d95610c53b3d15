import { createRoute } from '@hono/zod-openapi';
import { SchedulerControlResponse } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { schedulerStatus } from '@pricebook/schedule';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { tenantSchedule } from '../sync/tenant-schedule';

type Action = 'start' | 'stop';

const descriptions: Record<Action, string> = {
  start:
    "Turns the tenant's timed syncs on for every scheduler replica (the switch lives in NATS KV, one per " +
    'tenant, so it survives restarts). Idempotent. Role: admin.',
  stop:
    "Turns the tenant's timed syncs off for every scheduler replica; syncs already running finish. The stop survives " +
    'scheduler restarts until started again. Idempotent. Role: admin.',
};

function controlRoute(action: Action, deps: RouteDeps) {
  return createRoute({
    method: 'post',
    path: `/api/sync/pricebook/scheduler/${action}`,
    tags: ['Scheduler'],
    summary: action === 'start' ? 'Start scheduler' : 'Stop scheduler',
    description: descriptions[action],
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin')] as const,
    responses: {
      200: {
        description: 'The scheduler state after the change',
        content: { 'application/json': { schema: SchedulerControlResponse } },
      },
      ...problemResponses(401, 403, 500, 503),
    },
  });
}

/**
 * Registers `POST /api/sync/pricebook/scheduler/start` and `/stop` (admin): flip the shared switch
 * in NATS KV that every scheduler replica watches, and answer the resulting status block.
 *
 * @example
 * registerSchedulerControl(app, deps);
 */
export function registerSchedulerControl(app: ApiApp, deps: RouteDeps): void {
  for (const action of ['start', 'stop'] as const) {
    app.openapi(controlRoute(action, deps), async (c) => {
      const tenant = requestTenant(c);
      const openState = deps.schedulerState;
      if (!openState)
        throw new AppError('unavailable', 'the scheduler state store (NATS KV) is not connected');
      const principal = c.get('principal');
      const state = await openState(tenant.tenantId).catch((cause: unknown) => {
        throw new AppError('unavailable', 'the scheduler state store (NATS KV) could not be opened', {
          cause,
        });
      });
      const value = await state
        .setEnabled(action === 'start', principal ? `api:${principal.label}` : 'api')
        .catch((cause: unknown) => {
          throw new AppError('unavailable', 'the scheduler state could not be written', { cause });
        });
      c.get('log').info(
        { enabled: value.enabled },
        `scheduler ${action === 'start' ? 'started' : 'stopped'}`,
      );
      return c.json(
        {
          success: true as const,
          scheduler: schedulerStatus(tenantSchedule(deps.config.scheduler, tenant), value.enabled),
        },
        200,
      );
    });
  }
}
