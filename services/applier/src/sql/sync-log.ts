import type { EntityType } from '@pricebook/contracts';
import type { EntityCounters, EntityManager, SyncLogStatus, SyncType } from '@pricebook/db';
import { query, run } from './query';

/** A sync log row as the applier reads it (timestamps as ISO strings). */
export interface SyncLogRow {
  id: string;
  tenant_id: string;
  sync_type: SyncType;
  direction: string;
  options: Record<string, unknown>;
  dry_run: boolean;
  status: SyncLogStatus;
  started_at: string | null;
  completed_at: string | null;
  duration_ms: number | null;
  records_fetched: number;
  records_created: number;
  records_updated: number;
  records_deleted: number;
  records_skipped: number;
  conflicts: number;
  errors: number;
  entity_stats: Record<string, Record<string, unknown>>;
  error_message: string | null;
}

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

function columns(alias: string): string {
  const a = `${alias}.`;
  return `${a}id, ${a}tenant_id::text as tenant_id, ${a}sync_type, ${a}direction, ${a}options, ${a}dry_run,
    ${a}status, ${iso(`${a}started_at`)} as started_at, ${iso(`${a}completed_at`)} as completed_at,
    ${a}duration_ms, ${a}records_fetched, ${a}records_created, ${a}records_updated, ${a}records_deleted,
    ${a}records_skipped, ${a}conflicts, ${a}errors, ${a}entity_stats, ${a}error_message`;
}

/**
 * The sync log rows of these ids (unknown ids are simply absent).
 *
 * @example
 * const syncs = await loadSyncs(em, [syncLogId]);
 */
export async function loadSyncs(em: EntityManager, ids: readonly string[]): Promise<Map<string, SyncLogRow>> {
  const rows = await query<SyncLogRow>(
    em,
    `select ${columns('s')} from pricebook_sync_log s
      where s.id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
    [JSON.stringify(ids)],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Locks one sync log row for the rest of the transaction (fences of one sync take turns).
 *
 * @example
 * const sync = await lockSync(em, syncLogId);
 */
export async function lockSync(em: EntityManager, id: string): Promise<SyncLogRow | undefined> {
  const rows = await query<SyncLogRow>(
    em,
    `select ${columns('s')} from pricebook_sync_log s where s.id = ? for update`,
    [id],
  );
  return rows[0];
}

/** Counter increments, per entity. */
export type CounterDeltas = Partial<Record<EntityType, Partial<EntityCounters>>>;

const counterNames = ['fetched', 'created', 'updated', 'deleted', 'skipped', 'conflicts', 'errors'] as const;

function totals(deltas: CounterDeltas): EntityCounters {
  const sum: EntityCounters = {
    fetched: 0,
    created: 0,
    updated: 0,
    deleted: 0,
    skipped: 0,
    conflicts: 0,
    errors: 0,
  };
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

export interface BumpedSync extends SyncLogRow {
  /** The status before this update: `queued` means this call started the sync. */
  prev_status: SyncLogStatus;
}

/**
 * Adds to a sync's counters (totals and `entity_stats`) and moves a `queued` sync to `running`,
 * in one statement. Returns the row after the change, or undefined when the sync does not exist.
 *
 * @example
 * const row = await bumpCounters(em, syncLogId, { materials: { created: 10, skipped: 990 } });
 * if (row?.prev_status === 'queued') emitStarted(row);
 */
export async function bumpCounters(
  em: EntityManager,
  id: string,
  deltas: CounterDeltas,
): Promise<BumpedSync | undefined> {
  const t = totals(deltas);
  const rows = await query<BumpedSync>(
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
     returning prev.status as prev_status, ${columns('s')}`,
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
  return rows[0];
}

/**
 * Marks one entity of a sync finished in `entity_stats`.
 *
 * @example
 * const row = await markEntityFinished(em, syncLogId, 'materials');
 */
export async function markEntityFinished(
  em: EntityManager,
  id: string,
  entity: EntityType,
): Promise<SyncLogRow | undefined> {
  const rows = await query<SyncLogRow>(
    em,
    `update pricebook_sync_log s
        set entity_stats = s.entity_stats || jsonb_build_object(?::text,
              coalesce(s.entity_stats -> ?::text, '{}'::jsonb) || '{"finished": true}'::jsonb)
      where s.id = ?
      returning ${columns('s')}`,
    [entity, entity, id],
  );
  return rows[0];
}

/**
 * Ends a sync: `completed` or `failed` (with its reason), with `completed_at` and `duration_ms`.
 * Only a sync still queued or running changes; returns the row when it did.
 *
 * @example
 * const done = await endSync(em, syncLogId, 'completed');
 */
export async function endSync(
  em: EntityManager,
  id: string,
  status: 'completed' | 'failed',
  errorMessage: string | null = null,
): Promise<SyncLogRow | undefined> {
  const rows = await query<SyncLogRow>(
    em,
    `update pricebook_sync_log s
        set status = ?, error_message = coalesce(?, s.error_message), completed_at = now(),
            started_at = coalesce(s.started_at, now()),
            duration_ms = greatest(0, round(extract(epoch from now() - coalesce(s.started_at, s.created_at)) * 1000))::int
      where s.id = ? and s.status in ('queued', 'running')
      returning ${columns('s')}`,
    [status, errorMessage, id],
  );
  return rows[0];
}

/**
 * Releases run locks this sync still holds: one entity's, or all of them. A sync that pushes
 * (`to_st`, `bidirectional`) releases them only when its push ends, completed or failed.
 *
 * @example
 * await releaseRuns(em, tenantId, syncLogId, 'materials');
 */
export async function releaseRuns(
  em: EntityManager,
  tenantId: string,
  syncLogId: string,
  entity?: EntityType,
): Promise<number> {
  return run(
    em,
    `delete from pricebook_sync_runs
      where tenant_id = ? and sync_log_id = ? and (?::text is null or entity_type = ?::text)`,
    [tenantId, syncLogId, entity ?? null, entity ?? null],
  );
}

/**
 * Proves the sync is alive while the applier works through its decisions or pushes its local
 * edits, so its run locks are not taken over as stale (a sync whose process died stops proving
 * it, and the next sync of its entities takes the locks over after `SYNC_RUN_STALE_MS`).
 *
 * @example
 * await heartbeatRuns(em, tenantId, syncLogId);
 */
export async function heartbeatRuns(em: EntityManager, tenantId: string, syncLogId: string): Promise<void> {
  await run(
    em,
    'update pricebook_sync_runs set heartbeat_at = now() where tenant_id = ? and sync_log_id = ?',
    [tenantId, syncLogId],
  );
}
