import { AppError } from '@pricebook/errors';
import type { BatchHandler } from '@pricebook/messaging';
import { handleEach } from '@pricebook/messaging';
import { type PushDeps, runPush } from './run';

export type { PushDeps } from './run';

/**
 * The batch handler of the `applier-push` durable: one push command at a time (pushes of one
 * tenant share ST's rate limit, and their rows are locked anyway).
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.pusher, batchSize: 1, handler: createPushHandler(deps) });
 */
export function createPushHandler(deps: PushDeps): BatchHandler<'push.command'> {
  return handleEach({
    'push.command': async (message, { log, delivery }) => {
      if (message.tenant !== deps.tenantId) {
        throw new AppError(
          'bad_message',
          `push for tenant ${message.tenant}; this applier serves ${deps.tenantId}`,
        );
      }
      const child = log.child({
        subject: delivery.subject,
        streamSeq: delivery.streamSeq,
        deliveryCount: delivery.deliveryCount,
        eventId: message.id,
        syncId: message.data.syncLogId,
      });
      const outcome = await runPush(deps, message, child, delivery.deliveryCount);
      child.info({ outcome }, 'push handled');
    },
  });
}
