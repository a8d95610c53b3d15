import type { EntityManager } from '@mikro-orm/postgresql';
import type { SyncLogStatus } from '../entities/sync';
import { syncEvent } from './events';
import { pushCommandOf } from './hand-off';
import type { SyncTransition } from './outcome';
import { refused } from './progress';
import { type SyncLogRow, syncLogColumns } from './row';
import { insertOutbox, query } from './sql';
import { syncTransitions } from './transitions';

type Ending = 'complete' | 'fail' | 'cancel';

/**
 * Moves a sync to an end status if the transition table allows it from its current one, in one
 * conditional statement (the row lock makes two enders take turns: the second is refused), and
 * releases every run lock it still holds.
 */
async function end(
  em: EntityManager,
  id: string,
  transition: Ending,
  errorMessage: string | null,
): Promise<SyncTransition> {
  const { from, to } = syncTransitions[transition];
  const rows = await query<SyncLogRow & { prev_status: SyncLogStatus }>(
    em,
    `with prev as (select id, status from pricebook_sync_log where id = ? for no key update)
     update pricebook_sync_log s
        set status = ?, error_message = coalesce(?, s.error_message), completed_at = now(),
            started_at = coalesce(s.started_at, now()),
            duration_ms = greatest(0, round(extract(epoch from now() - coalesce(s.started_at, s.created_at)) * 1000))::int
       from prev
      where s.id = prev.id and prev.status in (select jsonb_array_elements_text(?::jsonb))
      returning prev.status as prev_status, ${syncLogColumns('s')}`,
    [id, to, errorMessage, JSON.stringify(from)],
  );
  const first = rows[0];
  if (!first) return refused(em, id);
  const { prev_status, ...row } = first;
  await query(em, 'delete from pricebook_sync_runs where tenant_id = ? and sync_log_id = ?', [
    row.tenant_id,
    id,
  ]);
  return { changed: true, from: prev_status, row };
}

/**
 * Completes a queued or running sync (`sync.completed`, duration, run locks released); `note`
 * becomes its `error_message` (e.g. edits ServiceTitan rejected). Refused once it ended.
 *
 * @example
 * const t = await completeSync(em, syncLogId);
 * if (!t.changed) log.info({ syncId: syncLogId, status: t.from }, 'sync already ended');
 */
export async function completeSync(
  em: EntityManager,
  id: string,
  note: string | null = null,
): Promise<SyncTransition> {
  const t = await end(em, id, 'complete', note);
  const event = t.changed && syncEvent('completed', t.row);
  if (event) await insertOutbox(em, [event]);
  return t;
}

/**
 * Fails a queued or running sync with its reason (`sync.failed`, run locks released). Nothing
 * else is undone: what was applied is real data. Refused once it ended.
 *
 * @example
 * await failSync(em, syncLogId, { code: 'stalled', message: 'no progress for 1800 s' });
 */
export async function failSync(
  em: EntityManager,
  id: string,
  error: { code: string; message: string },
): Promise<SyncTransition> {
  const t = await end(em, id, 'fail', `${error.code}: ${error.message}`);
  const event = t.changed && syncEvent('failed', t.row, error);
  if (event) await insertOutbox(em, [event]);
  return t;
}

/**
 * Cancels a queued or running sync (run locks released; the public events have no `cancelled`,
 * so none is written). Refused once it ended.
 *
 * @example
 * await cancelSync(em, syncLogId, 'cancelled by an operator');
 */
export async function cancelSync(em: EntityManager, id: string, reason: string): Promise<SyncTransition> {
  return end(em, id, 'cancel', reason);
}

/**
 * Hands a running sync whose fetch part is done to the push of its local edits: writes its
 * `push.command`. The sync stays `running` and keeps its run locks until the push ends it.
 * Refused (nothing written) once the sync ended.
 *
 * @example
 * if (pushesAfterFetch(row)) await handOffToPush(em, row.id);
 */
export async function handOffToPush(em: EntityManager, id: string): Promise<SyncTransition> {
  const [row] = await query<SyncLogRow>(
    em,
    `select ${syncLogColumns('s')} from pricebook_sync_log s where s.id = ? for no key update`,
    [id],
  );
  if (!row) return { changed: false, from: undefined, reason: 'not_found' };
  const from: readonly SyncLogStatus[] = syncTransitions.handOffToPush.from;
  if (!from.includes(row.status)) return { changed: false, from: row.status, reason: 'not_allowed' };
  await insertOutbox(em, [pushCommandOf(row)]);
  return { changed: true, from: row.status, row };
}
