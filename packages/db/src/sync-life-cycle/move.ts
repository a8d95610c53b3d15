import type { EntityManager } from '@mikro-orm/postgresql';
import type { SyncLogStatus } from '../entities/sync';
import { refused, type SyncTransition } from './outcome';
import { type SyncLogRow, syncLogColumns } from './row';
import { query } from './sql';
import { type SyncTransitionName, syncTransitions } from './transitions';

/**
 * Moves a sync as `transition` says, in one conditional statement: only from a status the table
 * allows (the row lock makes two movers take turns, so the second is refused), with `set` for the
 * columns that change with it.
 */
export async function move(
  em: EntityManager,
  id: string,
  transition: SyncTransitionName,
  set: { sql: string; params: readonly unknown[] } = { sql: '', params: [] },
): Promise<SyncTransition> {
  const { from, to } = syncTransitions[transition];
  const rows = await query<SyncLogRow & { prev_status: SyncLogStatus }>(
    em,
    `with prev as (select id, status from pricebook_sync_log where id = ? for no key update)
     update pricebook_sync_log s
        set status = ?, started_at = coalesce(s.started_at, now())${set.sql}
       from prev
      where s.id = prev.id and prev.status in (select jsonb_array_elements_text(?::jsonb))
      returning prev.status as prev_status, ${syncLogColumns('s')}`,
    [id, to, ...set.params, JSON.stringify(from)],
  );
  const first = rows[0];
  if (!first) return refused(em, id);
  const { prev_status, ...row } = first;
  return { changed: true, from: prev_status, row };
}
