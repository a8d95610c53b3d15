import { catalog, messageIds, readSyncOptions, subjects } from '@pricebook/contracts';
import type { OutboxInsert } from './events';
import type { SyncLogRow } from './row';

/**
 * Whether a sync pushes local edits once its fetch part is done: `to_st` (which fetches nothing)
 * and `bidirectional` (which first brings ST's changes in, so the push sees them).
 *
 * @example
 * pushesAfterFetch({ ...row, direction: 'bidirectional', sync_type: 'incremental' }); // true
 */
export function pushesAfterFetch(sync: Pick<SyncLogRow, 'direction' | 'sync_type'>): boolean {
  return sync.sync_type !== 'push' && (sync.direction === 'to_st' || sync.direction === 'bidirectional');
}

/**
 * The outbox row of the `push.command` that carries a sync on after its fetch part: same sync log,
 * the sync's entities, its dry-run flag. Validated now, so a bad payload fails the fence's
 * transaction rather than the relay. `handOffToPush` writes it.
 *
 * @example
 * const command = pushCommandOf(sync);
 */
export function pushCommandOf(sync: SyncLogRow): OutboxInsert {
  const data = catalog['push.command'].data.parse({
    syncLogId: sync.id,
    entityTypes: [...readSyncOptions(sync.options).entityTypes],
    dryRun: sync.dry_run,
  });
  return {
    tenant_id: sync.tenant_id,
    subject: subjects.command(sync.tenant_id, 'push'),
    event_type: 'push.command',
    payload: data,
    correlation_id: sync.id,
    causation_id: messageIds.syncCommand(sync.id),
  };
}
