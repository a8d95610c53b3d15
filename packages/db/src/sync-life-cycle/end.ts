import type { EntityManager } from '@mikro-orm/postgresql';
import { syncEvent } from './events';
import { move } from './move';
import type { SyncTransition } from './outcome';
import { insertOutbox, query } from './sql';

type Ending = 'complete' | 'fail' | 'cancel';

/** Ends a sync if the table allows it from its status, and releases every run lock it still holds. */
async function end(
  em: EntityManager,
  id: string,
  transition: Ending,
  errorMessage: string | null,
): Promise<SyncTransition> {
  const t = await move(em, id, transition, {
    sql: `, error_message = coalesce(?, s.error_message), completed_at = now(),
            duration_ms = greatest(0, round(extract(epoch from now() - coalesce(s.started_at, s.created_at)) * 1000))::int`,
    params: [errorMessage],
  });
  if (t.changed) {
    await query(em, 'delete from pricebook_sync_runs where tenant_id = ? and sync_log_id = ?', [
      t.row.tenant_id,
      id,
    ]);
  }
  return t;
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
