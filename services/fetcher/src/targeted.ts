import {
  createMessage,
  type EntityType,
  type Message,
  messageIds,
  normalizeStTimestamp,
  stContentHash,
} from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { PublishWindow } from '@pricebook/messaging';
import type { BacklogGate } from './backlog';
import { observedMessage, quarantineMessage, type SyncScope } from './messages';
import { EntityTally, type StReader } from './read-entity';

/**
 * `record.observed` for an item ServiceTitan says it no longer has (a look-up by its id found
 * nothing): `deleted`, with a tombstone record (`id`, `active: false`) stamped now, since ST has
 * no last state to give. The comparator decides it as it decides any deletion ST reports.
 *
 * @example
 * await publish(js, goneMessage(scope, 'materials', 20000123, new Date()));
 */
export function goneMessage(
  scope: SyncScope,
  entity: EntityType,
  stId: number,
  now: Date,
): Message<'record.observed'> {
  const modifiedOn = normalizeStTimestamp(now.toISOString()) ?? now.toISOString();
  const record = { id: stId, active: false, modifiedOn };
  return createMessage('record.observed', {
    id: messageIds.observed({ syncLogId: scope.syncLogId, entity, stId, modifiedOn: 'gone' }),
    tenant: scope.tenant,
    correlationId: scope.syncLogId,
    causationId: scope.commandId,
    data: {
      syncLogId: scope.syncLogId,
      entity,
      stId,
      modifiedOn,
      record,
      hash: stContentHash(entity, record),
      deleted: true,
    },
  });
}

export interface TargetedOutcome {
  published: number;
  errors: number;
  received: number;
  failed?: { code: string; message: string };
}

/**
 * A targeted sync's read of one entity: only the given ST ids, by id (`ids=`, 50 per request; one
 * by one where the entity has no such filter). Each item found is published as observed, each
 * one ST no longer has as a deletion ({@link goneMessage}), each invalid one quarantined. It
 * leaves the entity's export position where it was.
 *
 * @example
 * const outcome = await fetchTargeted({ st, js, publishConcurrency: 256 }, scope, 'materials', [1, 2], { signal, gate });
 */
export async function fetchTargeted(
  deps: { st: StReader; js: PublishWindowTarget; publishConcurrency: number; now?: () => Date },
  scope: SyncScope,
  entity: EntityType,
  ids: readonly number[],
  options: { signal: AbortSignal; gate: BacklogGate },
): Promise<TargetedOutcome> {
  const tally = new EntityTally();
  if (ids.length === 0) return { published: 0, errors: 0, received: 0 };
  let result: Awaited<ReturnType<StReader['listByIds']>>;
  try {
    result = await deps.st.listByIds(entity, ids, { signal: options.signal });
  } catch (err) {
    if (options.signal.aborted || !(err instanceof AppError)) throw err;
    return { published: 0, errors: 0, received: 0, failed: { code: err.code, message: err.message } };
  }
  const now = (deps.now ?? (() => new Date()))();
  const messages: Array<Message<'record.observed'> | Message<'record.decided'>> = [];
  for (const record of result.records) {
    if (tally.admit(String(record.id), record.modifiedOn ?? '', false))
      messages.push(observedMessage(scope, entity, record, false));
  }
  for (const stId of result.missing) {
    if (tally.admit(String(stId), 'gone', false)) messages.push(goneMessage(scope, entity, stId, now));
  }
  for (const invalid of result.invalid) {
    if (tally.admit(String(invalid.id ?? 'invalid'), 'invalid', true))
      messages.push(quarantineMessage(scope, entity, invalid));
  }
  const window = new PublishWindow(deps.js, { limit: deps.publishConcurrency, validated: true });
  for (const message of messages) {
    if (!(await options.gate.admit(() => window.drain()))) {
      throw new AppError('unavailable', 'fetch interrupted by shutdown; the command will be fetched again', {
        retry: true,
      });
    }
    await window.add(message);
  }
  await window.drain();
  return { published: tally.published, errors: tally.errors, received: result.records.length };
}

type PublishWindowTarget = ConstructorParameters<typeof PublishWindow>[0];
