import { type ConflictType, type EntityType, entityTables } from '@pricebook/contracts';
import type { ConflictResolution, EntityManager } from '@pricebook/db';
import { query, statementText } from './query';

/** Where a batch of conflicts belongs. */
export interface ConflictScope {
  tenantId: string;
  entity: EntityType;
  syncLogId: string;
}

export interface ConflictInput {
  record_id: string;
  st_id: number | null;
  conflict_type: ConflictType;
  /** ST's version; null when ST deleted the record. */
  st_version: Record<string, unknown> | null;
  /** The local version; null takes the row's current `data`. */
  local_version: Record<string, unknown> | null;
  base_version: Record<string, unknown> | null;
  field_diff: Record<string, unknown> | null;
}

export interface ResolvedConflictInput extends ConflictInput {
  resolution: ConflictResolution;
  resolved_by: string;
  resolved_data: Record<string, unknown> | null;
}

const columns = `r(record_id uuid, st_id bigint, conflict_type text, st_version jsonb, local_version jsonb,
  base_version jsonb, field_diff jsonb, resolution text, resolved_by text, resolved_data jsonb)`;

function openSql(entity: EntityType): string {
  return statementText(`open-conflicts:${entity}`, () => {
    // The partial unique index allows one unresolved conflict per record: a newer disagreement
    // about the same record refreshes it instead of opening a second one.
    return `insert into pricebook_sync_conflicts
             (tenant_id, entity_type, record_id, st_id, conflict_type, st_version, local_version,
              base_version, field_diff, sync_log_id)
           select ?, ?, r.record_id, r.st_id, r.conflict_type, r.st_version, coalesce(r.local_version, t.data),
                  r.base_version, r.field_diff, ?
             from jsonb_to_recordset(?::jsonb) as ${columns}
             left join ${entityTables[entity]} t on t.id = r.record_id
           on conflict (tenant_id, entity_type, record_id) where status = 'unresolved' do update set
             conflict_type = excluded.conflict_type, st_version = excluded.st_version,
             local_version = excluded.local_version, field_diff = excluded.field_diff,
             sync_log_id = excluded.sync_log_id
           returning id, record_id, local_version`;
  });
}

function resolvedSql(entity: EntityType): string {
  return statementText(
    `resolved-conflicts:${entity}`,
    () => `with r as (select * from jsonb_to_recordset(?::jsonb) as ${columns}),
     superseded as (
       update pricebook_sync_conflicts c set status = 'superseded'
         from r where c.tenant_id = ? and c.entity_type = ? and c.record_id = r.record_id
          and c.status = 'unresolved'
     )
     insert into pricebook_sync_conflicts
       (tenant_id, entity_type, record_id, st_id, conflict_type, st_version, local_version, base_version,
        field_diff, status, resolution, resolved_data, resolved_by, resolved_at, sync_log_id)
     select ?, ?, r.record_id, r.st_id, r.conflict_type, r.st_version, coalesce(r.local_version, t.data),
            r.base_version, r.field_diff, 'resolved', r.resolution, r.resolved_data, r.resolved_by, now(), ?
       from r left join ${entityTables[entity]} t on t.id = r.record_id
     returning id, record_id, local_version`,
  );
}

export interface StoredConflict {
  id: string;
  localVersion: Record<string, unknown> | null;
}

/**
 * Opens (or refreshes) the unresolved conflict of each record; returns each record's conflict.
 *
 * @example
 * const byRecord = await openConflicts(em, scope, [{ record_id, conflict_type: 'both_modified', … }]);
 */
export async function openConflicts(
  em: EntityManager,
  scope: ConflictScope,
  items: readonly ConflictInput[],
): Promise<Map<string, StoredConflict>> {
  if (items.length === 0) return new Map();
  return storedByRecord(em, openSql(scope.entity), [
    scope.tenantId,
    scope.entity,
    scope.syncLogId,
    JSON.stringify(items),
  ]);
}

/**
 * Records conflicts a strategy settled at once: any unresolved conflict of the same record is
 * superseded, and a resolved one is written. Returns each record's new conflict.
 *
 * @example
 * await recordResolvedConflicts(em, scope, [{ …, resolution: 'keep_st', resolved_by: 'sync:…' }]);
 */
export async function recordResolvedConflicts(
  em: EntityManager,
  scope: ConflictScope,
  items: readonly ResolvedConflictInput[],
): Promise<Map<string, StoredConflict>> {
  if (items.length === 0) return new Map();
  return storedByRecord(em, resolvedSql(scope.entity), [
    JSON.stringify(items),
    scope.tenantId,
    scope.entity,
    scope.tenantId,
    scope.entity,
    scope.syncLogId,
  ]);
}

/** Runs a conflict-writing statement; returns each record's conflict as the statement left it. */
async function storedByRecord(
  em: EntityManager,
  text: string,
  params: readonly unknown[],
): Promise<Map<string, StoredConflict>> {
  const rows = await query<{ id: string; record_id: string; local_version: Record<string, unknown> | null }>(
    em,
    text,
    params,
  );
  return new Map(rows.map((r) => [r.record_id, { id: r.id, localVersion: r.local_version }]));
}
