import type { BatchHandler } from '@pricebook/messaging';
import { handleEach } from '@pricebook/messaging';
import { type PushDeps, runPush } from './run';

export type { PushDeps } from './run';

/**
 * The batch handler of the `applier-push` durable: one push command at a time, of any tenant,
 * each with its tenant's credentials (pushes of one tenant share ST's rate limit, and their rows
 * are locked anyway).
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.pusher, batchSize: 1, handler: createPushHandler(deps) });
 */
export function createPushHandler(deps: PushDeps): BatchHandler<'push.command'> {
  return handleEach({
    'push.command': async (message, { log, delivery }) => {
      const child = log.child({
        subject: delivery.subject,
        streamSeq: delivery.streamSeq,
        deliveryCount: delivery.deliveryCount,
        eventId: message.id,
        tenant: message.tenant,
        syncId: message.data.syncLogId,
      });
      const outcome = await runPush(deps, message, child, delivery.deliveryCount);
      child.info({ outcome }, 'push handled');
    },
  });
}
