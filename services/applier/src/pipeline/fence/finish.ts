import { readSyncOptions } from '@pricebook/contracts';
import {
  completeSync,
  type EntityManager,
  handOffToPush,
  pushesAfterFetch,
  type SyncLogRow,
} from '@pricebook/db';
import { pruneLedger } from '../../sql/ledger';

/**
 * Ends the fetch part once every entity the sync covers is finished: a sync that writes back is
 * handed to the push (`pushing`; it keeps its run locks until the push ends it); any
 * other completes, and (unless it was a dry run, whose ledger is its plan) its ledger is pruned.
 *
 * @example
 * await completeIfDone(em, syncAfterThisEntity);
 */
export async function completeIfDone(em: EntityManager, sync: SyncLogRow): Promise<void> {
  const requested = readSyncOptions(sync.options).entityTypes;
  const finished = requested.every((entity) => sync.entity_stats[entity]?.finished === true);
  if (!finished) return;
  if (pushesAfterFetch(sync)) {
    await handOffToPush(em, sync.id);
    return;
  }
  const completed = await completeSync(em, sync.id);
  if (completed.changed && !completed.row.dry_run) await pruneLedger(em, sync.id);
}
