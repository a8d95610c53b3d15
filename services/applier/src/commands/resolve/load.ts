import { type ConflictType, type EntityType, entityTables } from '@pricebook/contracts';
import type { ConflictStatus, EntityManager, SyncStatus } from '@pricebook/db';
import { query } from '../../sql/query';

type Json = Record<string, unknown>;

/** A conflict as the resolver needs it, locked for the transaction. */
export interface LockedConflict {
  id: string;
  tenantId: string;
  entity: EntityType;
  recordId: string;
  stId: number | null;
  conflictType: ConflictType;
  status: ConflictStatus;
  stVersion: Json | null;
  localVersion: Json | null;
  baseVersion: Json | null;
  fieldDiff: Json | null;
  syncLogId: string | null;
}

/** The conflict's row, locked, with what tells whether it moved since the conflict was recorded. */
export interface LockedRow {
  id: string;
  version: number;
  data: Json;
  base: Json | null;
  contentHash: string | null;
  syncStatus: SyncStatus;
  deleted: boolean;
  /** ST's `modifiedOn` on the row is not the one of the conflict's ST version. */
  stMoved: boolean;
  /** The row's `base` is ST's record at the row's `st_modified_on` (the engine wrote it there). */
  baseIsCurrentSt: boolean;
}

/**
 * Locks one conflict of the tenant (undefined when it does not exist).
 *
 * @example
 * const conflict = await lockConflict(em, '1001', conflictId);
 */
export async function lockConflict(
  em: EntityManager,
  tenantId: string,
  id: string,
): Promise<LockedConflict | undefined> {
  // Columns come back under their TypeScript names; only the bigint ST id needs converting.
  const [r] = await query<Omit<LockedConflict, 'stId'> & { stId: string | null }>(
    em,
    `select id, tenant_id::text as "tenantId", entity_type as entity, record_id as "recordId",
            st_id::text as "stId", conflict_type as "conflictType", status, st_version as "stVersion",
            local_version as "localVersion", base_version as "baseVersion", field_diff as "fieldDiff",
            sync_log_id as "syncLogId"
       from pricebook_sync_conflicts where tenant_id = ? and id = ? for update`,
    [tenantId, id],
  );
  return r && { ...r, stId: r.stId === null ? null : Number(r.stId) };
}

/**
 * Locks the conflict's row (undefined when it was hard-deleted).
 *
 * @example
 * const row = await lockRow(em, conflict);
 */
export async function lockRow(em: EntityManager, conflict: LockedConflict): Promise<LockedRow | undefined> {
  // ST's side is compared by instant: the row keeps microseconds, the record ST's 7-digit string.
  const [r] = await query<LockedRow>(
    em,
    `select id, version, data, base, content_hash as "contentHash", sync_status as "syncStatus",
            deleted_at is not null as deleted,
            (?::text is not null
              and st_modified_on is distinct from (?::text)::timestamptz) as "stMoved",
            (base ->> 'modifiedOn') is not null
              and (base ->> 'modifiedOn')::timestamptz = st_modified_on as "baseIsCurrentSt"
       from ${entityTables[conflict.entity]} where tenant_id = ? and id = ? for update`,
    [stModifiedOn(conflict), stModifiedOn(conflict), conflict.tenantId, conflict.recordId],
  );
  return r;
}

function stModifiedOn(conflict: LockedConflict): string | null {
  const raw = conflict.stVersion?.modifiedOn;
  return typeof raw === 'string' ? raw : null;
}
