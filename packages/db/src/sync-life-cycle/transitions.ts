import type { SyncLogStatus } from '../entities/sync';

/**
 * Every move a sync can make, from which statuses, to which, and the public event it writes.
 * A sync is born `queued` (or `cancelled`, for a scheduled tick that did not become one); its
 * fetch part runs (`running`), each entity finishes, a sync that writes back is handed to the push
 * (`pushing`; a push-only sync starts there), and it ends `completed`, `failed` or `cancelled`.
 * Anything else is refused: a late `complete` after the watchdog failed the sync changes nothing.
 */
export const syncTransitions = {
  /** The first applied batch or fence of a queued sync. */
  start: { from: ['queued'], to: 'running', event: 'started' },
  /** A sync that only pushes (`push`, e.g. a resolution's) starts with its push. */
  startPush: { from: ['queued'], to: 'pushing', event: 'started' },
  /** One entity's records are all in (its fence was handled). */
  finishEntity: { from: ['running'], to: 'running', event: null },
  /** The fetch part is done; the push of local edits carries the sync on (`push.command`). */
  handOffToPush: { from: ['running'], to: 'pushing', event: null },
  complete: { from: ['queued', 'running', 'pushing'], to: 'completed', event: 'completed' },
  fail: { from: ['queued', 'running', 'pushing'], to: 'failed', event: 'failed' },
  cancel: { from: ['queued', 'running', 'pushing'], to: 'cancelled', event: null },
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
