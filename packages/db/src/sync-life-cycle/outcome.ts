import type { SyncLogStatus } from '../entities/sync';
import type { SyncLogRow } from './row';

/**
 * What a transition did. A refused one changed nothing and says why: the sync does not exist, or
 * its status (`from`) does not allow the move (e.g. a late `complete` after the watchdog failed it).
 */
export type SyncTransition =
  | { changed: true; from: SyncLogStatus; row: SyncLogRow }
  | { changed: false; from: SyncLogStatus | undefined; reason: 'not_found' | 'not_allowed' };
