import type { EntityManager } from '@mikro-orm/postgresql';
import { type EntityType, zeroSyncStats } from '@pricebook/contracts';
import type { EntityCounters, SyncLogStatus } from '../entities/sync';
import { syncEvent } from './events';
import { move } from './move';
import type { SyncTransition } from './outcome';
import { type SyncLogRow, syncLogColumns } from './row';
import { insertOutbox, query } from './sql';

/** The write-back's own counters of an entity (kept in `entity_stats` only, not in the totals). */
export type PushCounterName = 'pushCreated' | 'pushUpdated' | 'pushMerged' | 'pushDeleted' | 'pushSkipped';

/** Counter increments, per entity: the totals' counters (also added to the totals) and the push's. */
export type CounterDeltas = Partial<
  Record<EntityType, Partial<EntityCounters> & Partial<Record<PushCounterName, number>>>
>;

const counterNames = ['fetched', 'created', 'updated', 'deleted', 'skipped', 'conflicts', 'errors'] as const;

function totals(deltas: CounterDeltas): EntityCounters {
  const sum: EntityCounters = zeroSyncStats();
  for (const perEntity of Object.values(deltas)) {
    for (const name of counterNames) sum[name] += perEntity?.[name] ?? 0;
  }
  return sum;
}

/** Drops zero counters and entities without any, so the JSON merge below never sees an empty object. */
function compact(deltas: CounterDeltas): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [entity, perEntity] of Object.entries(deltas)) {
    const kept = Object.entries(perEntity ?? {}).filter(([, n]) => typeof n === 'number' && n !== 0);
    if (kept.length > 0) out[entity] = Object.fromEntries(kept) as Record<string, number>;
  }
  return out;
}

export interface RecordedProgress {
  row: SyncLogRow;
  /** This call moved the sync from `queued` to `running` (and wrote `sync.started`). */
  started: boolean;
}

/**
 * Adds to a sync's counters (totals and `entity_stats`) and starts it if it was still `queued`
 * (`sync.started`), in one statement; with `progressEvent`, a running sync also gets a
 * `sync.progress`. Counting is not a transition: an ended sync still counts what its last
 * batches did, it just does not start again. Undefined when the sync does not exist.
 *
 * @example
 * const moved = await recordProgress(em, syncLogId, { materials: { created: 10, skipped: 990 } });
 * if (moved?.started) throttle.touch(syncLogId);
 */
export async function recordProgress(
  em: EntityManager,
  id: string,
  deltas: CounterDeltas,
  options: { progressEvent?: boolean } = {},
): Promise<RecordedProgress | undefined> {
  const t = totals(deltas);
  const rows = await query<SyncLogRow & { prev_status: SyncLogStatus }>(
    em,
    `with prev as (select id, status from pricebook_sync_log where id = ? for no key update)
     update pricebook_sync_log s set
       records_fetched = s.records_fetched + ?, records_created = s.records_created + ?,
       records_updated = s.records_updated + ?, records_deleted = s.records_deleted + ?,
       records_skipped = s.records_skipped + ?, conflicts = s.conflicts + ?, errors = s.errors + ?,
       entity_stats = s.entity_stats || coalesce((
         select jsonb_object_agg(e.key, coalesce(s.entity_stats -> e.key, '{}'::jsonb) || (
           select jsonb_object_agg(c.key, coalesce((s.entity_stats -> e.key ->> c.key)::int, 0) + c.value::int)
             from jsonb_each_text(e.value) as c(key, value)))
           from jsonb_each(?::jsonb) as e(key, value)), '{}'::jsonb),
       status = case when s.status = 'queued' then 'running' else s.status end,
       started_at = coalesce(s.started_at, now())
     from prev where s.id = prev.id
     returning prev.status as prev_status, ${syncLogColumns('s')}`,
    [
      id,
      t.fetched,
      t.created,
      t.updated,
      t.deleted,
      t.skipped,
      t.conflicts,
      t.errors,
      JSON.stringify(compact(deltas)),
    ],
  );
  const first = rows[0];
  if (!first) return undefined;
  const { prev_status, ...row } = first;
  const started = prev_status === 'queued';
  const kind = started
    ? 'started'
    : options.progressEvent && row.status === 'running'
      ? 'progress'
      : undefined;
  const event = kind && syncEvent(kind, row);
  if (event) await insertOutbox(em, [event]);
  return { row, started };
}

/**
 * Starts a queued sync (`sync.started`); refused for any other status.
 *
 * @example
 * const t = await startSync(em, syncLogId);
 */
export async function startSync(em: EntityManager, id: string): Promise<SyncTransition> {
  const moved = await recordProgress(em, id, {});
  if (!moved) return { changed: false, from: undefined, reason: 'not_found' };
  if (!moved.started) return { changed: false, from: moved.row.status, reason: 'not_allowed' };
  return { changed: true, from: 'queued', row: moved.row };
}

/**
 * Marks one entity of a running sync finished in `entity_stats`; refused once the sync ended.
 * Whether the sync then completes or is handed to the push is the caller's (it knows its ledger).
 *
 * @example
 * const t = await finishEntity(em, syncLogId, 'materials');
 * if (t.changed && allFinished(t.row)) await completeSync(em, syncLogId);
 */
export async function finishEntity(
  em: EntityManager,
  id: string,
  entity: EntityType,
): Promise<SyncTransition> {
  return move(em, id, 'finishEntity', {
    sql: `, entity_stats = s.entity_stats || jsonb_build_object(?::text,
            coalesce(s.entity_stats -> ?::text, '{}'::jsonb) || '{"finished": true}'::jsonb)`,
    params: [entity, entity],
  });
}
