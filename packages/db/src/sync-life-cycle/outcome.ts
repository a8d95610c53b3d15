import type { EntityManager } from '@mikro-orm/postgresql';
import type { SyncLogStatus } from '../entities/sync';
import type { SyncLogRow } from './row';
import { query } from './sql';

/**
 * What a transition did. A refused one changed nothing and says why: the sync does not exist, or
 * its status (`from`) does not allow the move (e.g. a late `complete` after the watchdog failed it).
 */
export type SyncTransition =
  | { changed: true; from: SyncLogStatus; row: SyncLogRow }
  | { changed: false; from: SyncLogStatus | undefined; reason: 'not_found' | 'not_allowed' };

/** The outcome of a refused transition: what the sync's status is, if it exists. */
export async function refused(em: EntityManager, id: string): Promise<SyncTransition> {
  const [current] = await query<{ status: SyncLogStatus }>(
    em,
    'select status from pricebook_sync_log where id = ?',
    [id],
  );
  return current
    ? { changed: false, from: current.status, reason: 'not_allowed' }
    : { changed: false, from: undefined, reason: 'not_found' };
}
