import type { SyncLogStatus } from '../entities/sync';

/**
 * Every move a sync can make, from which statuses, to which, and the public event it writes.
 * A sync is born `queued` (or `cancelled`, for a scheduled tick that did not become one); the
 * fetch part runs, each entity finishes, a sync that writes back is handed to the push (which
 * keeps it `running`), and it ends `completed`, `failed` or `cancelled`. Anything else is refused:
 * a late `complete` after the watchdog failed the sync changes nothing.
 */
export const syncTransitions = {
  /** The first applied batch, fence or push of a queued sync. */
  start: { from: ['queued'], to: 'running', event: 'started' },
  /** One entity's records are all in (its fence was handled). */
  finishEntity: { from: ['running'], to: 'running', event: null },
  /** The fetch part is done; the push of local edits carries the sync on (`push.command`). */
  handOffToPush: { from: ['running'], to: 'running', event: null },
  complete: { from: ['queued', 'running'], to: 'completed', event: 'completed' },
  fail: { from: ['queued', 'running'], to: 'failed', event: 'failed' },
  cancel: { from: ['queued', 'running'], to: 'cancelled', event: null },
} as const satisfies Record<
  string,
  {
    from: readonly SyncLogStatus[];
    to: SyncLogStatus;
    event: 'started' | 'completed' | 'failed' | null;
  }
>;

export type SyncTransitionName = keyof typeof syncTransitions;

/** Statuses a sync never leaves. */
export const endedSyncStatuses: readonly SyncLogStatus[] = ['completed', 'failed', 'cancelled'];

/**
 * Whether `transition` may happen to a sync in `status`.
 *
 * @example
 * canTransition('failed', 'complete'); // false
 */
export function canTransition(status: SyncLogStatus, transition: SyncTransitionName): boolean {
  const from: readonly SyncLogStatus[] = syncTransitions[transition].from;
  return from.includes(status);
}
