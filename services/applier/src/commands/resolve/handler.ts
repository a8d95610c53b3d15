import { randomUUID } from 'node:crypto';
import { checkMergeValues, describeProblems, type Message } from '@pricebook/contracts';
import {
  type EntityManager,
  insertOutbox,
  type Orm,
  type OutboxInsert,
  setWriteContext,
} from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { type BatchHandler, handleEach } from '@pricebook/messaging';
import { withChangeSet } from '../../shared/conflict-change-set';
import { resolutionEvent } from './events';
import { type LockedConflict, type LockedRow, lockConflict, lockRow } from './load';
import { planResolution, type ResolvePlan } from './plan';
import { closeConflict, queuePush, reopenConflict, writeRow } from './writes';

export interface ResolveHandlerOptions {
  orm: Orm;
  /** Commands handled at once (each its own transaction). */
  concurrency?: number;
}

/** What a resolve command ended in, for the log. */
export type ResolveOutcome = ResolvePlan['kind'];

type Command = Message<'resolve.command'>;

const disputedFields = (c: LockedConflict) => Object.keys(c.fieldDiff ?? {});

async function carryOut(
  tx: EntityManager,
  command: Command,
  conflict: LockedConflict,
  row: LockedRow,
  plan: ResolvePlan,
) {
  const cmd = command.data;
  const syncLogId = cmd.syncLogId ?? null;
  // A resolution is its own change-set, even when its conflict came from a sync.
  const changeSet = { id: randomUUID(), kind: 'resolution' as const };
  const events: OutboxInsert[] = [];
  const event = (e: Omit<Parameters<typeof resolutionEvent>[0], 'conflict' | 'syncLogId' | 'causationId'>) =>
    events.push(resolutionEvent({ ...e, conflict, syncLogId, causationId: command.id }));
  const before = row.deleted ? null : row.data;
  switch (plan.kind) {
    case 'apply': {
      await setWriteContext(tx, { origin: 'resolution', syncLogId, actor: cmd.resolvedBy, changeSet });
      const after = await writeRow(tx, conflict, row, plan.change);
      await closeConflict(tx, conflict.id, {
        status: 'resolved',
        resolution: cmd.strategy,
        resolvedData: plan.resolvedData,
        resolvedBy: cmd.resolvedBy,
      });
      const deleted = plan.change.deleted ?? row.deleted;
      event({
        kind: 'resolved',
        conflictId: conflict.id,
        origin: 'resolution',
        actor: cmd.resolvedBy,
        before,
        after: deleted ? null : after,
        changedFields: disputedFields(conflict),
      });
      if (plan.change.status === 'pending_sync') await queuePush(tx, conflict, cmd.resolvedBy, command.id);
      break;
    }
    case 'dissolve': {
      // Nobody chose this result: the sides stopped disagreeing, so it is the engine's merge.
      await setWriteContext(tx, { origin: 'merge', syncLogId, actor: cmd.resolvedBy, changeSet });
      const after = await writeRow(tx, conflict, row, plan.change);
      await closeConflict(tx, conflict.id, { status: 'superseded' });
      event({
        kind: 'resolved',
        conflictId: conflict.id,
        origin: 'merge',
        actor: cmd.resolvedBy,
        before,
        after,
        changedFields: disputedFields(conflict),
      });
      if (plan.change.status === 'pending_sync') await queuePush(tx, conflict, cmd.resolvedBy, command.id);
      break;
    }
    case 'reopen': {
      await closeConflict(tx, conflict.id, { status: 'superseded' });
      const newId = await reopenConflict(tx, conflict, plan);
      event({
        kind: 'conflicted',
        conflictId: newId,
        origin: 'resolution',
        actor: cmd.resolvedBy,
        before,
        after: plan.st,
        changedFields: Object.keys(plan.fieldDiff ?? {}),
      });
      break;
    }
    default:
      return;
  }
  await insertOutbox(tx, await withChangeSet(tx, { origin: 'resolution', changeSet }, events));
}

/**
 * The command's data with its merge values checked against the conflict's entity (the same
 * check the API makes before queuing), normalised as the schema parses them. Another publisher
 * may send what the API would have refused: such a command is refused before planning.
 */
function checkedCommand(conflict: LockedConflict, data: Command['data']): Command['data'] {
  if (data.values === undefined) return data;
  const checked = checkMergeValues(conflict.entity, data.values);
  if (!checked.ok) {
    throw new AppError('bad_message', `merge values are not valid: ${describeProblems(checked.problems)}`, {
      details: { errors: checked.problems },
    });
  }
  return { ...data, values: checked.values };
}

async function resolveOne(
  options: ResolveHandlerOptions,
  command: Command,
  log: Logger,
): Promise<ResolveOutcome> {
  // The command's tenant: a conflict of another tenant is not found under it.
  const tenantId = command.tenant;
  const { conflictId } = command.data;
  const outcome = await options.orm.em.fork().transactional(async (tx) => {
    const conflict = await lockConflict(tx, tenantId, conflictId);
    if (!conflict) throw new AppError('bad_message', `no conflict ${conflictId} for tenant ${tenantId}`);
    const data = checkedCommand(conflict, command.data);
    const row = await lockRow(tx, conflict);
    const plan = planResolution(conflict, row, data);
    if (plan.kind === 'refuse') throw new AppError('bad_message', plan.reason);
    if (row) await carryOut(tx, command, conflict, row, plan);
    return plan.kind;
  });
  log.info(
    { conflictId, strategy: command.data.strategy, outcome, eventId: command.id },
    'resolve command handled',
  );
  return outcome;
}

/**
 * The handler of the `applier-resolve` durable: each `resolve.command` in its own transaction
 * (lock the conflict, then its row; apply the strategy, or re-evaluate a row that moved; close
 * the conflict; write `record.resolved` and, when ServiceTitan must change, a `push.command`).
 * A repeat finds the conflict settled and does nothing; a command that cannot apply (unknown
 * conflict, another tenant, an impossible merge, merge values the entity's PATCH refuses or
 * that name read-only fields) is terminated with its reason.
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.resolver, onPoison,
 *   handler: createResolveHandler({ orm }) });
 */
export function createResolveHandler(options: ResolveHandlerOptions): BatchHandler<'resolve.command'> {
  return handleEach(
    {
      'resolve.command': async (message, ctx) => {
        await resolveOne(options, message, ctx.log);
      },
    },
    { concurrency: options.concurrency ?? 4 },
  );
}
