import type { EntityManager } from '@pricebook/db';
import { pushCommandOf, pushesAfterFetch } from '../../shared/push-command';
import { syncEvent } from '../../shared/sync-events';
import { syncOptions } from '../../shared/sync-options';
import { pruneLedger } from '../../sql/ledger';
import type { OutboxInsert } from '../../sql/outbox';
import { endSync, releaseRuns, type SyncLogRow } from '../../sql/sync-log';

/**
 * Fails a sync: `failed` with its reason, a `sync.failed` event, every run lock released.
 * Nothing else is undone: what was applied is real ST data.
 *
 * @example
 * await failSync(em, tenantId, sync, { code: 'upstream_unavailable', message: 'materials: ST did not answer' });
 */
export async function failSync(
  em: EntityManager,
  tenantId: string,
  sync: SyncLogRow,
  error: { code: string; message: string },
): Promise<OutboxInsert[]> {
  const row = await endSync(em, sync.id, 'failed', `${error.code}: ${error.message}`);
  await releaseRuns(em, tenantId, sync.id);
  const event = row && syncEvent('failed', row, error);
  return event ? [event] : [];
}

/**
 * Completes the sync once every entity it covers is finished: `completed` with its duration, a
 * `sync.completed` event, and (unless it was a dry run, whose ledger is its plan) the ledger pruned.
 *
 * @example
 * const events = await completeIfDone(em, tenantId, syncAfterThisEntity);
 */
export async function completeIfDone(
  em: EntityManager,
  tenantId: string,
  sync: SyncLogRow,
): Promise<OutboxInsert[]> {
  const requested = syncOptions(sync.options).entityTypes;
  const finished = requested.every((entity) => sync.entity_stats[entity]?.finished === true);
  if (!finished) return [];
  // The sync stays `running` and keeps its run locks: the push handler ends it (and releases
  // them) once the local edits are sent.
  if (pushesAfterFetch(sync)) return [pushCommandOf(sync)];
  const row = await endSync(em, sync.id, 'completed');
  if (!row) return [];
  await releaseRuns(em, tenantId, sync.id);
  if (!row.dry_run) await pruneLedger(em, sync.id);
  const event = syncEvent('completed', row);
  return event ? [event] : [];
}
