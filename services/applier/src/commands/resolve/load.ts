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

interface ConflictDb {
  id: string;
  tenant_id: string;
  entity_type: EntityType;
  record_id: string;
  st_id: string | null;
  conflict_type: ConflictType;
  status: ConflictStatus;
  st_version: Json | null;
  local_version: Json | null;
  base_version: Json | null;
  field_diff: Json | null;
  sync_log_id: string | null;
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
  const [r] = await query<ConflictDb>(
    em,
    `select id, tenant_id::text as tenant_id, entity_type, record_id, st_id::text as st_id, conflict_type,
            status, st_version, local_version, base_version, field_diff, sync_log_id
       from pricebook_sync_conflicts where tenant_id = ? and id = ? for update`,
    [tenantId, id],
  );
  if (!r) return undefined;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    entity: r.entity_type,
    recordId: r.record_id,
    stId: r.st_id === null ? null : Number(r.st_id),
    conflictType: r.conflict_type,
    status: r.status,
    stVersion: r.st_version,
    localVersion: r.local_version,
    baseVersion: r.base_version,
    fieldDiff: r.field_diff,
    syncLogId: r.sync_log_id,
  };
}

interface RowDb {
  id: string;
  version: number;
  data: Json;
  base: Json | null;
  content_hash: string | null;
  sync_status: SyncStatus;
  deleted: boolean;
  st_moved: boolean;
  base_is_current_st: boolean;
}

/**
 * Locks the conflict's row (undefined when it was hard-deleted).
 *
 * @example
 * const row = await lockRow(em, conflict);
 */
export async function lockRow(em: EntityManager, conflict: LockedConflict): Promise<LockedRow | undefined> {
  // ST's side is compared by instant: the row keeps microseconds, the record ST's 7-digit string.
  const [r] = await query<RowDb>(
    em,
    `select id, version, data, base, content_hash, sync_status, deleted_at is not null as deleted,
            (?::text is not null
              and st_modified_on is distinct from (?::text)::timestamptz) as st_moved,
            (base ->> 'modifiedOn') is not null
              and (base ->> 'modifiedOn')::timestamptz = st_modified_on as base_is_current_st
       from ${entityTables[conflict.entity]} where tenant_id = ? and id = ? for update`,
    [stModifiedOn(conflict), stModifiedOn(conflict), conflict.tenantId, conflict.recordId],
  );
  if (!r) return undefined;
  return {
    id: r.id,
    version: r.version,
    data: r.data,
    base: r.base,
    contentHash: r.content_hash,
    syncStatus: r.sync_status,
    deleted: r.deleted,
    stMoved: r.st_moved,
    baseIsCurrentSt: r.base_is_current_st,
  };
}

function stModifiedOn(conflict: LockedConflict): string | null {
  const raw = conflict.stVersion?.modifiedOn;
  return typeof raw === 'string' ? raw : null;
}
