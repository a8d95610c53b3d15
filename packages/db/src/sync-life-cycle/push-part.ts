import type { EntityManager } from '@mikro-orm/postgresql';
import { syncEvent } from './events';
import { pushCommandOf } from './hand-off';
import { move } from './move';
import type { SyncTransition } from './outcome';
import { insertOutbox } from './sql';

/**
 * Hands a running sync whose fetch part is done to the push of its local edits: `pushing`, and
 * its `push.command` written. It keeps its run locks until the push ends it. Refused (nothing
 * written) once the sync ended.
 *
 * @example
 * if (pushesAfterFetch(row)) await handOffToPush(em, row.id);
 */
export async function handOffToPush(em: EntityManager, id: string): Promise<SyncTransition> {
  const t = await move(em, id, 'handOffToPush');
  if (t.changed) await insertOutbox(em, [pushCommandOf(t.row)]);
  return t;
}

/**
 * Starts a queued sync that only pushes (`sync_type` `push`) straight in its push part:
 * `pushing`, with its `sync.started`. Refused for any other status.
 *
 * @example
 * if (sync.status === 'queued') await startPush(em, sync.id);
 */
export async function startPush(em: EntityManager, id: string): Promise<SyncTransition> {
  const t = await move(em, id, 'startPush');
  const event = t.changed && syncEvent('started', t.row);
  if (event) await insertOutbox(em, [event]);
  return t;
}
