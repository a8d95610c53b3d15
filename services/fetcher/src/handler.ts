import { AppError } from '@pricebook/errors';
import { type BatchHandler, handleEach } from '@pricebook/messaging';
import { type FetchDeps, fetchSync, refuseSync } from './fetch-sync';
import type { StReader } from './read-entity';

/** Each tenant's ServiceTitan client (`TenantStClients` of @pricebook/tenants). */
export interface TenantClients {
  /** Throws `not_found` for an unknown tenant, `tenant_unavailable` for one that may not sync. */
  forTenant(tenantId: string): Promise<{ st: StReader }>;
}

export interface FetcherHandlerDeps extends Omit<FetchDeps, 'st'> {
  clients: TenantClients;
}

/** The directory's answers that mean "this tenant may not sync now": the sync fails with them. */
const refusals: ReadonlySet<string> = new Set(['not_found', 'tenant_unavailable']);

/**
 * The `fetcher` consumer's handler: runs a sync command of any tenant with that tenant's client.
 * A command for a tenant the directory does not know, or one paused, removed or whose credentials
 * cannot be read, fails its sync with that reason (a failed fence) and is acked; credentials
 * ServiceTitan refuses fail it the same way once the first request is refused. The runner keeps
 * the command alive with `working()` for as long as the fetch runs, and acks it once every
 * message of the sync is stored. A database outage while the tenant is looked up holds the
 * command until the database answers.
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.fetcher, batchSize: 1, handler: fetcherHandler(deps) });
 */
export function fetcherHandler(deps: FetcherHandlerDeps): BatchHandler<'sync.command'> {
  const { clients, ...fetchDeps } = deps;
  return handleEach({
    'sync.command': async (message, ctx) => {
      const log = ctx.log.child({
        subject: ctx.delivery.subject,
        streamSeq: ctx.delivery.streamSeq,
        deliveryCount: ctx.delivery.deliveryCount,
        eventId: message.id,
        syncId: message.data.syncLogId,
        tenant: message.tenant,
      });
      let st: StReader;
      try {
        ({ st } = await clients.forTenant(message.tenant));
      } catch (err) {
        if (!(err instanceof AppError) || !refusals.has(err.code)) throw err;
        await refuseSync({ ...fetchDeps, log }, message, { code: err.code, message: err.message });
        return;
      }
      await fetchSync({ ...fetchDeps, st, log }, message, ctx.stopping);
    },
  });
}
