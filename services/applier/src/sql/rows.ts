import { type EntityType, entityTables } from '@pricebook/contracts';
import type { EntityManager, SyncStatus } from '@pricebook/db';
import { query, statementText } from './query';

/** What the applier needs to know about a local row to judge a decision against it. */
export interface RowState {
  id: string;
  stId: number;
  version: number;
  contentHash: string | null;
  syncStatus: SyncStatus;
  hasConflict: boolean;
  deleted: boolean;
  /** ST's raw `modifiedOn` of the base snapshot (the ST record last written), all 7 digits. */
  baseModifiedOn: string | null;
  /**
   * `st_modified_on` (ISO, microseconds): the newest ST version the row has taken in, conflicts
   * included (a conflict leaves the base where both sides last agreed).
   */
  stModifiedOn?: string | null;
  /** Epoch milliseconds of the last local edit. */
  localModifiedAt: number | null;
  /** Only loaded for a dry run's plan. */
  data?: Record<string, unknown>;
}

interface RowDb {
  id: string;
  st_id: string;
  version: number;
  content_hash: string | null;
  sync_status: SyncStatus;
  has_conflict: boolean;
  deleted: boolean;
  base_modified_on: string | null;
  st_modified_on: string | null;
  local_modified_at: string | Date | null;
  data?: Record<string, unknown>;
}

export interface LoadRowsOptions {
  /** Lock the rows until the transaction ends, so the guard and the write see the same row. */
  lock: boolean;
  /** Also load `data` (a dry run's plan needs the before values). */
  withData: boolean;
}

/** One statement text per table and option, so every batch sends the same shape. */
function statement(entity: EntityType, options: LoadRowsOptions): string {
  return statementText(
    `rows:${entity}:${options.lock}:${options.withData}`,
    () => `select id, st_id::text as st_id, version, content_hash, sync_status, has_conflict,
              deleted_at is not null as deleted, base ->> 'modifiedOn' as base_modified_on,
              to_char(st_modified_on at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as st_modified_on,
              local_modified_at${options.withData ? ', data' : ''}
         from ${entityTables[entity]}
        where tenant_id = ? and st_id = any(?::bigint[])
        order by st_id${options.lock ? ' for update' : ''}`,
  );
}

/**
 * The local rows of these ST ids, keyed by ST id. Locked rows are taken in `st_id` order, so two
 * batches touching the same rows queue behind each other instead of deadlocking.
 *
 * @example
 * const rows = await loadRows(em, 'materials', '1001', [42, 43], { lock: true, withData: false });
 */
export async function loadRows(
  em: EntityManager,
  entity: EntityType,
  tenantId: string,
  stIds: readonly number[],
  options: LoadRowsOptions,
): Promise<Map<number, RowState>> {
  const rows = new Map<number, RowState>();
  if (stIds.length === 0) return rows;
  // A PostgreSQL array literal (not JSON) lets the planner see how many ids there are and probe
  // the unique (tenant_id, st_id) index instead of scanning the table.
  const found = await query<RowDb>(em, statement(entity, options), [tenantId, `{${stIds.join(',')}}`]);
  for (const r of found) {
    const stId = Number(r.st_id);
    rows.set(stId, {
      id: r.id,
      stId,
      version: r.version,
      contentHash: r.content_hash,
      syncStatus: r.sync_status,
      hasConflict: r.has_conflict,
      deleted: r.deleted,
      baseModifiedOn: r.base_modified_on,
      stModifiedOn: r.st_modified_on,
      localModifiedAt: r.local_modified_at === null ? null : new Date(r.local_modified_at).getTime(),
      ...(r.data ? { data: r.data } : {}),
    });
  }
  return rows;
}
