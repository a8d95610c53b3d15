import type { Handlers, MessageType } from '@pricebook/contracts';
import type { BatchContext, BatchFailures, BatchHandler } from './batch';
import type { Delivery } from './decode';

/** What a per-message handler receives beside the message. */
export interface DeliveryContext extends BatchContext {
  delivery: Delivery;
}

/**
 * Turns an exhaustive map of per-message handlers into a batch handler: each message is
 * handled on its own (up to `concurrency` at once), and each failure stays with its message.
 * Use it where a message is its own transaction (commands); batch handlers suit the pipeline.
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.inbound, handler: handleEach({
 *   'inbound.upsert': (m, ctx) => upsert(m.data, ctx.log),
 *   'inbound.delete': (m, ctx) => remove(m.data, ctx.log),
 * }) });
 */
export function handleEach<T extends MessageType>(
  handlers: Handlers<T, DeliveryContext>,
  options: { concurrency?: number } = {},
): BatchHandler<T> {
  const limit = Math.max(1, options.concurrency ?? 1);
  return async (batch, context) => {
    const failures = new Map<Delivery<T>, unknown>();
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const delivery = batch[next++];
        if (!delivery) continue;
        const handle = handlers[delivery.message.type] as (
          message: Delivery<T>['message'],
          ctx: DeliveryContext,
        ) => unknown;
        try {
          await handle(delivery.message, { ...context, delivery });
        } catch (err) {
          failures.set(delivery, err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, batch.length) }, worker));
    return failures satisfies BatchFailures<T>;
  };
}
