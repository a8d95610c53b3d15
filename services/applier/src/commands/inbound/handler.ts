import type { EntityManager, Orm } from '@pricebook/db';
import { applyLocalEdit } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { BatchContext, BatchHandler, Delivery } from '@pricebook/messaging';
import { type InboundType, inboundEdit } from './edits';

export interface InboundHandlerOptions {
  orm: Orm;
  /** The tenant this deployment serves; a message for another is refused. */
  tenantId: string;
}

/** Actor recorded when the publisher did not name one. */
const defaultActor = 'inbound';

async function applyOne(
  em: EntityManager,
  delivery: Delivery<InboundType>,
  tenantId: string,
): Promise<boolean> {
  const { message } = delivery;
  if (message.tenant !== tenantId) {
    throw new AppError(
      'validation_failed',
      `message for tenant ${message.tenant}; this deployment serves ${tenantId}`,
    );
  }
  const result = await applyLocalEdit(em, {
    tenantId,
    entity: message.data.entity,
    origin: 'inbound',
    actor: message.data.actor ?? defaultActor,
    edit: inboundEdit(message),
  });
  return result.changed;
}

/**
 * The `applier-inbound` batch handler: applies other systems' edits as local edits (origin
 * `inbound`, the message's actor), in publish order, in one transaction per batch. Each message
 * runs in its own savepoint, so a refused one (schema failure, unknown record, read-only field,
 * row in conflict) is rolled back alone and handed back to the runner, which terminates it and
 * records the reason in `pricebook_dead_letters`; the rest of the batch still commits. A value
 * the database could not store (a decimal past `numeric(14,4)`, NUL, a lone surrogate, decimal
 * text of any length) is refused by the contracts' schemas as `validation_failed`, which is not
 * retryable: terminated on its first delivery, never retried into the database.
 *
 * Redelivery is harmless: an upsert whose values the row already has writes nothing, a delete of
 * a deleted row writes nothing, and a create uses an id derived from the message id.
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.inbound, onPoison: recordPoison(orm),
 *   handler: createInboundHandler({ orm, tenantId: '1001' }) });
 */
export function createInboundHandler(options: InboundHandlerOptions): BatchHandler<InboundType> {
  return async (batch, context: BatchContext) => {
    const failures = new Map<Delivery<InboundType>, unknown>();
    let changed = 0;
    await options.orm.em.fork().transactional(async (em) => {
      for (const delivery of batch) {
        await em.execute('savepoint inbound_message');
        try {
          if (await applyOne(em, delivery, options.tenantId)) changed += 1;
          await em.execute('release savepoint inbound_message');
        } catch (err) {
          await em.execute('rollback to savepoint inbound_message');
          failures.set(delivery, err);
        }
      }
    });
    context.log.debug({ messages: batch.length, changed, refused: failures.size }, 'inbound batch applied');
    return failures;
  };
}
