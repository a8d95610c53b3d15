import { type EntityType, entityTables } from '@pricebook/contracts';
import type { EntityManager, SyncStatus } from '@pricebook/db';
import { query, statementText } from './query';

/** A new row from an ST record: `data` and `base` are both the record. */
export interface CreateRow {
  st_id: number;
  data: Record<string, unknown>;
  hash: string;
  /** ST's `modifiedOn`; PostgreSQL keeps microseconds, `data` keeps the exact string. */
  modified_on: string | null;
}

/**
 * A change to an existing row, applied only while the row is still at `version`. Absent (null)
 * fields keep the row's value; `deleted` true soft-deletes, false restores.
 */
export interface RewriteRow {
  id: string;
  version: number;
  data?: Record<string, unknown> | null;
  /** `base` becomes `data` (saves sending the same record twice). */
  base_is_data?: boolean;
  base?: Record<string, unknown> | null;
  hash?: string | null;
  modified_on?: string | null;
  status?: SyncStatus | null;
  has_conflict?: boolean | null;
  deleted?: boolean | null;
}

function insertSql(entity: EntityType): string {
  return statementText(`insert:${entity}`, () => {
    // DO NOTHING rather than DO UPDATE: a row that appeared since the decision was made (another
    // writer won the race) must be compared again, not overwritten; the caller sees it missing.
    return `insert into ${entityTables[entity]}
             (tenant_id, st_id, data, base, content_hash, st_modified_on, last_synced_at, sync_status)
           select ?, r.st_id, r.data, r.data, r.hash, r.modified_on::timestamptz, now(), 'synced'
             from jsonb_to_recordset(?::jsonb) as r(st_id bigint, data jsonb, hash text, modified_on text)
           on conflict (tenant_id, st_id) do nothing
           returning id, st_id::text as st_id`;
  });
}

function rewriteSql(entity: EntityType): string {
  return statementText(
    `rewrite:${entity}`,
    () => `update ${entityTables[entity]} t set
             data = coalesce(r.data, t.data),
             base = case when r.base_is_data then r.data else coalesce(r.base, t.base) end,
             content_hash = coalesce(r.hash, t.content_hash),
             st_modified_on = coalesce(r.modified_on::timestamptz, t.st_modified_on),
             last_synced_at = now(),
             sync_status = coalesce(r.status, t.sync_status),
             has_conflict = coalesce(r.has_conflict, t.has_conflict),
             deleted_at = case when r.deleted is null then t.deleted_at
                               when r.deleted then coalesce(t.deleted_at, now()) end
           from jsonb_to_recordset(?::jsonb) as r(id uuid, version int, data jsonb, base_is_data boolean,
                  base jsonb, hash text, modified_on text, status text, has_conflict boolean, deleted boolean)
           where t.id = r.id and t.version = r.version
           returning t.id`,
  );
}

/**
 * Inserts new rows in one statement; returns the local id of each ST id actually inserted
 * (an ST id missing from the result already had a row).
 *
 * @example
 * const ids = await insertRows(em, 'materials', '1001', [{ st_id: 42, data, hash, modified_on }]);
 */
export async function insertRows(
  em: EntityManager,
  entity: EntityType,
  tenantId: string,
  rows: readonly CreateRow[],
): Promise<Map<number, string>> {
  const inserted = new Map<number, string>();
  if (rows.length === 0) return inserted;
  const result = await query<{ id: string; st_id: string }>(em, insertSql(entity), [
    tenantId,
    JSON.stringify(rows),
  ]);
  for (const r of result) inserted.set(Number(r.st_id), r.id);
  return inserted;
}

/**
 * Applies many row changes in one statement, each guarded by its row version; returns the ids
 * written.
 *
 * @example
 * const written = await rewriteRows(em, 'materials', [{ id, version: 3, deleted: true }]);
 */
export async function rewriteRows(
  em: EntityManager,
  entity: EntityType,
  rows: readonly RewriteRow[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const result = await query<{ id: string }>(em, rewriteSql(entity), [JSON.stringify(rows)]);
  return new Set(result.map((r) => r.id));
}
