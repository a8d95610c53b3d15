import { AppError } from '@pricebook/errors';
import { type BatchHandler, handleEach } from '@pricebook/messaging';
import type { TenantClients } from '../handler';
import { type DriftCheckDeps, runDriftCheck } from './check';
import { claimReport, finishReport } from './report-store';

export interface DriftHandlerDeps extends DriftCheckDeps {
  clients: TenantClients;
}

/** The directory's answers that mean "this tenant may not be read now": the check fails with them. */
const refusals: ReadonlySet<string> = new Set(['not_found', 'tenant_unavailable']);

/**
 * The `fetcher-drift` consumer's handler: runs a drift check of any tenant with that tenant's
 * ServiceTitan client (its rate budget shared with the syncs). A tenant the directory refuses
 * (unknown, paused, removed, unreadable credentials) fails the check with that reason.
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.drift, batchSize: 1, handler: driftHandler(deps) });
 */
export function driftHandler(deps: DriftHandlerDeps): BatchHandler<'drift.command'> {
  const { clients, ...checkDeps } = deps;
  return handleEach({
    'drift.command': async (message, ctx) => {
      const log = ctx.log.child({
        subject: ctx.delivery.subject,
        streamSeq: ctx.delivery.streamSeq,
        deliveryCount: ctx.delivery.deliveryCount,
        eventId: message.id,
      });
      let st: Awaited<ReturnType<TenantClients['forTenant']>>['st'];
      try {
        ({ st } = await clients.forTenant(message.tenant));
      } catch (err) {
        if (!(err instanceof AppError) || !refusals.has(err.code)) throw err;
        if (!(await claimReport(deps.orm, message))) return;
        const outcome = {
          status: 'failed' as const,
          entities: [],
          items: [],
          driftedCount: 0,
          truncated: false,
          stRequests: 0,
          error: `${err.code}: ${err.message}`,
        };
        await finishReport(deps.orm, message.tenant, message.data.checkId, outcome);
        deps.onChecked?.(message.tenant, outcome);
        log.warn({ code: err.code, tenant: message.tenant }, 'drift check refused');
        return;
      }
      await runDriftCheck({ ...checkDeps, log }, st, message, ctx.stopping);
    },
  });
}
