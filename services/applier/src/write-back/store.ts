import { type EntityType, entityTables, stContentHash } from '@pricebook/contracts';
import { type EntityManager, type PushCounterName, recordProgress } from '@pricebook/db';
import { query, run } from '../sql/query';
import type { PendingRow } from './plan';

type Json = Record<string, unknown>;

const ZERO_ID = '00000000-0000-0000-0000-000000000000';

export interface PendingQuery {
  entity: EntityType;
  tenantId: string;
  /** Rows after this local id (keyset paging, so a row left pending is not read twice in a run). */
  after: string | null;
  recordIds: readonly string[] | undefined;
  limit: number;
  /** Lock the rows for the batch's transaction, skipping rows another push holds. */
  lock: boolean;
}

/**
 * The next batch of `pending_sync` rows of one entity, in local-id order.
 *
 * @example
 * const rows = await loadPending(em, { entity: 'materials', tenantId, after: null, recordIds: undefined, limit: 100, lock: true });
 */
export async function loadPending(em: EntityManager, q: PendingQuery): Promise<PendingRow[]> {
  const rows = await query<{
    id: string;
    st_id: string | null;
    data: Json;
    base: Json | null;
    content_hash: string | null;
    deleted: boolean;
    version: number;
  }>(
    em,
    `select id, st_id::text as st_id, data, base, content_hash, deleted_at is not null as deleted, version
       from ${entityTables[q.entity]}
      where tenant_id = ? and sync_status = 'pending_sync' and id > ?::uuid
        and (?::uuid[] is null or id = any(?::uuid[]))
      order by id limit ?${q.lock ? ' for update skip locked' : ''}`,
    [
      q.tenantId,
      q.after ?? ZERO_ID,
      q.recordIds ? `{${q.recordIds.join(',')}}` : null,
      q.recordIds ? `{${q.recordIds.join(',')}}` : null,
      q.limit,
    ],
  );
  return rows.map((r) => ({
    id: r.id,
    stId: r.st_id === null ? null : Number(r.st_id),
    data: r.data,
    base: r.base,
    contentHash: r.content_hash,
    deleted: r.deleted,
    version: r.version,
  }));
}

/** A row brought in step with ST after a push: `data` = `base` = ST's record. */
export interface SyncedRow {
  id: string;
  stId: number;
  record: Json;
  /** Undelete the row (a `keep_st` settlement of a local delete). */
  restore?: boolean;
}

/**
 * Writes ST's record as the rows' data and base snapshot, `synced`, in one statement. The caller
 * sets the write origin first (`push` for a plain echo, which the triggers do not announce).
 *
 * @example
 * await writeSynced(em, 'materials', [{ id, stId: 42, record: answer }]);
 */
export async function writeSynced(
  em: EntityManager,
  entity: EntityType,
  rows: readonly SyncedRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const items = rows.map((r) => ({
    id: r.id,
    st_id: r.stId,
    data: r.record,
    hash: stContentHash(entity, r.record),
    modified_on: typeof r.record.modifiedOn === 'string' ? r.record.modifiedOn : null,
    restore: r.restore ?? false,
  }));
  await run(
    em,
    `update ${entityTables[entity]} t set st_id = r.st_id, data = r.data, base = r.data, content_hash = r.hash,
            st_modified_on = coalesce(r.modified_on::timestamptz, t.st_modified_on), last_synced_at = now(),
            sync_status = 'synced', has_conflict = false,
            deleted_at = case when r.restore then null else t.deleted_at end
       from jsonb_to_recordset(?::jsonb) as r(id uuid, st_id bigint, data jsonb, hash text, modified_on text, restore boolean)
      where t.id = r.id`,
    [JSON.stringify(items)],
  );
}

/**
 * Runs one bookkeeping `update … set <assignments>` over rows picked by local id (and `onlyWhere`,
 * a further condition): the one shape of every by-id update of the write-back.
 */
async function updateByIds(
  em: EntityManager,
  entity: EntityType,
  ids: readonly string[],
  assignments: string,
  onlyWhere = 'true',
): Promise<void> {
  if (ids.length === 0) return;
  await run(
    em,
    `update ${entityTables[entity]} set ${assignments} where id = any(?::uuid[]) and ${onlyWhere}`,
    [`{${ids.join(',')}}`],
  );
}

/**
 * Marks rows `synced` without touching their content (nothing to send, nothing to take).
 *
 * @example
 * await markSynced(em, 'materials', [id]);
 */
export function markSynced(em: EntityManager, entity: EntityType, ids: readonly string[]): Promise<void> {
  return updateByIds(em, entity, ids, `sync_status = 'synced', last_synced_at = now()`);
}

/**
 * Puts rows in conflict (bookkeeping only: their content is unchanged).
 *
 * @example
 * await markConflicted(em, 'materials', [id]);
 */
export function markConflicted(em: EntityManager, entity: EntityType, ids: readonly string[]): Promise<void> {
  return updateByIds(em, entity, ids, `sync_status = 'conflict', has_conflict = true`);
}

/** ST ids already linked to a local row of the entity. */
export async function linkedStIds(
  em: EntityManager,
  entity: EntityType,
  tenantId: string,
): Promise<Set<number>> {
  const rows = await query<{ st_id: string }>(
    em,
    `select st_id::text as st_id from ${entityTables[entity]} where tenant_id = ? and st_id is not null`,
    [tenantId],
  );
  return new Set(rows.map((r) => Number(r.st_id)));
}

/** Push counters of one entity, merged into the sync log's `entity_stats` (flat integers). */
export type PushCounters = Partial<Record<PushCounterName, number>>;

/**
 * Adds push counters to `entity_stats[entity]` and conflicts/errors to the totals (through the
 * sync life cycle, which owns the sync log's counters).
 *
 * @example
 * await bumpPushCounters(em, syncLogId, 'materials', { pushUpdated: 3 }, { conflicts: 1, errors: 0 });
 */
export async function bumpPushCounters(
  em: EntityManager,
  syncLogId: string,
  entity: EntityType,
  counters: PushCounters,
  totals: { conflicts: number; errors: number },
): Promise<void> {
  const perEntity = { ...counters, conflicts: totals.conflicts, errors: totals.errors };
  if (!Object.values(perEntity).some((n) => typeof n === 'number' && n !== 0)) return;
  await recordProgress(em, syncLogId, { [entity]: perEntity });
}

/** A row holding an ST id that a pushed row is about to take. */
export interface StIdHolder {
  id: string;
  stId: number;
  /** Neither local edits nor a conflict: the row only mirrors ST's item. */
  mirrorOnly: boolean;
  deleted: boolean;
}

/**
 * Rows other than `except` that hold any of these ST ids, locked for the transaction.
 *
 * @example
 * const holders = await stIdHolders(em, 'materials', tenantId, [20000513], [rowId]);
 */
export async function stIdHolders(
  em: EntityManager,
  entity: EntityType,
  tenantId: string,
  stIds: readonly number[],
  except: readonly string[],
): Promise<StIdHolder[]> {
  if (stIds.length === 0) return [];
  const rows = await query<{ id: string; st_id: string; mirror_only: boolean; deleted: boolean }>(
    em,
    `select id, st_id::text as st_id, sync_status = 'synced' and not has_conflict as mirror_only,
            deleted_at is not null as deleted
       from ${entityTables[entity]}
      where tenant_id = ? and st_id = any(?::bigint[]) and not (id = any(?::uuid[]))
      for update`,
    [tenantId, `{${stIds.join(',')}}`, `{${except.join(',')}}`],
  );
  return rows.map((r) => ({
    id: r.id,
    stId: Number(r.st_id),
    mirrorOnly: r.mirror_only,
    deleted: r.deleted,
  }));
}

/**
 * Soft-deletes rows (the caller sets the write origin, which decides the audit row and event).
 *
 * @example
 * await softDeleteRows(em, 'materials', [id]);
 */
export function softDeleteRows(em: EntityManager, entity: EntityType, ids: readonly string[]): Promise<void> {
  return updateByIds(em, entity, ids, 'deleted_at = now()', 'deleted_at is null');
}

/**
 * Sets or clears rows' ST ids without touching their content (bookkeeping: under the `push`
 * origin it writes no audit row and no event). `stId: null` frees the id for another row.
 *
 * @example
 * await setStIds(em, 'materials', [{ id, stId: 20000513 }]);
 */
export async function setStIds(
  em: EntityManager,
  entity: EntityType,
  links: ReadonlyArray<{ id: string; stId: number | null }>,
): Promise<void> {
  if (links.length === 0) return;
  await run(
    em,
    `update ${entityTables[entity]} t set st_id = r.st_id
       from jsonb_to_recordset(?::jsonb) as r(id uuid, st_id bigint)
      where t.id = r.id and t.st_id is distinct from r.st_id`,
    [JSON.stringify(links.map((l) => ({ id: l.id, st_id: l.stId })))],
  );
}
