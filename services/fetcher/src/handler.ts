import { AppError } from '@pricebook/errors';
import { type BatchHandler, handleEach } from '@pricebook/messaging';
import { type FetchDeps, fetchSync } from './fetch-sync';

export interface FetcherHandlerDeps extends FetchDeps {
  /** The one ST tenant this deployment serves. */
  tenant: string;
}

/**
 * The `fetcher` consumer's handler: one sync command at a time. A command for another tenant is
 * refused (terminated with that reason). The runner keeps the command alive with `working()`
 * for as long as the fetch runs, and acks it once every message of the sync is stored.
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.fetcher, batchSize: 1, handler: fetcherHandler(deps) });
 */
export function fetcherHandler(deps: FetcherHandlerDeps): BatchHandler<'sync.command'> {
  return handleEach({
    'sync.command': async (message, ctx) => {
      const log = ctx.log.child({
        subject: ctx.delivery.subject,
        streamSeq: ctx.delivery.streamSeq,
        deliveryCount: ctx.delivery.deliveryCount,
        eventId: message.id,
        syncId: message.data.syncLogId,
      });
      if (message.tenant !== deps.tenant) {
        throw new AppError(
          'bad_message',
          `sync command for tenant ${message.tenant}; this fetcher serves ${deps.tenant}`,
        );
      }
      await fetchSync({ ...deps, log }, message, ctx.stopping);
    },
  });
}
