import { randomUUID } from 'node:crypto';
import type { ChangeSetRef, EntityManager, Orm } from '@pricebook/db';
import { applyLocalEdit } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { BatchContext, BatchHandler, Delivery } from '@pricebook/messaging';
import type { TenantDirectory } from '@pricebook/tenants';
import { type InboundType, inboundEdit } from './edits';

export interface InboundHandlerOptions {
  orm: Orm;
  /** Which tenants exist: an edit for one it does not know, or a removed one, is refused. */
  tenants: Pick<TenantDirectory, 'get'>;
}

/** Actor recorded when the publisher did not name one. */
const defaultActor = 'inbound';

/**
 * Why no edit of `tenantId` may be applied, or undefined when they may. Other systems publish
 * on `pricebook.inbound.<tenant>…`: a tenant nobody added, or one removed, gets nothing written.
 * A paused tenant's edits are applied; they wait as pending until its pushes resume.
 */
async function tenantProblem(
  tenants: InboundHandlerOptions['tenants'],
  tenantId: string,
): Promise<AppError | undefined> {
  const tenant = await tenants.get(tenantId);
  if (!tenant) return new AppError('not_found', `no tenant ${tenantId}: this deployment does not serve it`);
  if (tenant.status === 'removed') {
    return new AppError('tenant_unavailable', `tenant ${tenantId} was removed: its edits are not applied`, {
      details: { tenantId, status: tenant.status },
    });
  }
  return undefined;
}

async function applyOne(
  em: EntityManager,
  delivery: Delivery<InboundType>,
  changeSet: ChangeSetRef,
): Promise<boolean> {
  const { message } = delivery;
  const result = await applyLocalEdit(em, {
    tenantId: message.tenant,
    entity: message.data.entity,
    origin: 'inbound',
    actor: message.data.actor ?? defaultActor,
    changeSet,
    edit: inboundEdit(message),
  });
  return result.changed;
}

/**
 * The `applier-inbound` batch handler: applies other systems' edits as local edits of the
 * message's tenant (origin `inbound`, the message's actor), in publish order, in one transaction
 * per batch, which is one change-set (kind `inbound`). Each message runs in its own savepoint, so a refused one (a tenant the directory
 * does not know or removed, schema failure, unknown record, read-only field, row in conflict) is
 * rolled back alone and handed back to the runner, which terminates it and records the reason in
 * `pricebook_dead_letters`; the rest of the batch still commits. A value the database could not
 * store (a decimal past `numeric(14,4)`, NUL, a lone surrogate, decimal text of any length) is
 * refused by the contracts' schemas as `validation_failed`, which is not retryable: terminated on
 * its first delivery, never retried into the database.
 *
 * Redelivery is harmless: an upsert whose values the row already has writes nothing, a delete of
 * a deleted row writes nothing, and a create uses an id derived from the message id.
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.inbound, onPoison: recordPoison(orm),
 *   handler: createInboundHandler({ orm, tenants }) });
 */
export function createInboundHandler(options: InboundHandlerOptions): BatchHandler<InboundType> {
  return async (batch, context: BatchContext) => {
    const failures = new Map<Delivery<InboundType>, unknown>();
    // Each tenant of the batch looked up once, before the transaction.
    const refused = new Map<string, AppError | undefined>();
    for (const tenantId of new Set(batch.map((d) => d.message.tenant))) {
      refused.set(tenantId, await tenantProblem(options.tenants, tenantId));
    }
    let changed = 0;
    const changeSet: ChangeSetRef = { id: randomUUID(), kind: 'inbound' };
    await options.orm.em.fork().transactional(async (em) => {
      for (const delivery of batch) {
        const problem = refused.get(delivery.message.tenant);
        if (problem) {
          failures.set(delivery, problem);
          continue;
        }
        await em.execute('savepoint inbound_message');
        try {
          if (await applyOne(em, delivery, changeSet)) changed += 1;
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
