import { randomUUID } from 'node:crypto';
import { catalog, entityTables, subjects } from '@pricebook/contracts';
import { type ConflictResolution, type EntityManager, queueSync } from '@pricebook/db';
import { query, run } from '../../sql/query';
import type { LockedConflict, LockedRow } from './load';
import type { RowChange } from './plan';

type Json = Record<string, unknown>;

/**
 * Writes a resolution's row change, guarded by the locked version; returns the row's data after.
 *
 * @example
 * const after = await writeRow(em, conflict, row, { data: st, base: st, status: 'synced' });
 */
export async function writeRow(
  em: EntityManager,
  conflict: LockedConflict,
  row: LockedRow,
  change: RowChange,
): Promise<Json> {
  const [written] = await query<{ data: Json }>(
    em,
    `update ${entityTables[conflict.entity]} set
       data = coalesce(?::jsonb, data),
       base = case when ?::boolean then ?::jsonb else base end,
       sync_status = ?, has_conflict = false, last_synced_at = now(),
       deleted_at = case when ?::boolean is null then deleted_at
                         when ?::boolean then coalesce(deleted_at, now()) end
     where id = ? and version = ? returning data`,
    [
      change.data === undefined ? null : JSON.stringify(change.data),
      change.base !== undefined,
      change.base === undefined || change.base === null ? null : JSON.stringify(change.base),
      change.status,
      change.deleted ?? null,
      change.deleted ?? null,
      row.id,
      row.version,
    ],
  );
  // The row is locked, so its version cannot have moved: a miss is a bug, and the transaction rolls back.
  if (!written) throw new Error(`row ${row.id} changed under its lock`);
  return written.data;
}

/**
 * Closes a conflict as resolved by a person (or as superseded when the record moved).
 *
 * @example
 * await closeConflict(em, conflict.id, { resolution: 'keep_st', resolvedData: st, resolvedBy: 'ana' });
 */
export async function closeConflict(
  em: EntityManager,
  id: string,
  outcome:
    | { status: 'resolved'; resolution: ConflictResolution; resolvedData: Json | null; resolvedBy: string }
    | { status: 'superseded' },
): Promise<void> {
  if (outcome.status === 'superseded') {
    await run(em, `update pricebook_sync_conflicts set status = 'superseded' where id = ?`, [id]);
    return;
  }
  await run(
    em,
    `update pricebook_sync_conflicts
        set status = 'resolved', resolution = ?, resolved_data = ?::jsonb, resolved_by = ?, resolved_at = now()
      where id = ?`,
    [
      outcome.resolution,
      outcome.resolvedData === null ? null : JSON.stringify(outcome.resolvedData),
      outcome.resolvedBy,
      id,
    ],
  );
}

/**
 * Opens the conflict that replaces a superseded one, with the versions as they are now.
 *
 * @example
 * const newId = await reopenConflict(em, conflict, { st, local: row.data, fieldDiff });
 */
export async function reopenConflict(
  em: EntityManager,
  conflict: LockedConflict,
  versions: { st: Json | null; local: Json; fieldDiff: Json | null },
): Promise<string> {
  const [row] = await query<{ id: string }>(
    em,
    `insert into pricebook_sync_conflicts
       (tenant_id, entity_type, record_id, st_id, conflict_type, st_version, local_version, base_version,
        field_diff, sync_log_id)
     values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?) returning id`,
    [
      conflict.tenantId,
      conflict.entity,
      conflict.recordId,
      conflict.stId,
      conflict.conflictType,
      versions.st === null ? null : JSON.stringify(versions.st),
      JSON.stringify(versions.local),
      conflict.baseVersion === null ? null : JSON.stringify(conflict.baseVersion),
      versions.fieldDiff === null ? null : JSON.stringify(versions.fieldDiff),
      conflict.syncLogId,
    ],
  );
  if (!row) throw new Error('the new conflict was not inserted');
  return row.id;
}

/**
 * Asks the push consumer (`applier-push`) to send one row's local version to ServiceTitan: a
 * queued `push` sync log and its `push.command` (`recordIds: [row id]`) in the outbox, in the
 * resolution's transaction, so the push is never lost and never sent for a rolled-back resolution.
 *
 * @example
 * const pushSyncLogId = await queuePush(em, conflict, 'ana@example.com', causationId);
 */
export async function queuePush(
  em: EntityManager,
  conflict: LockedConflict,
  requestedBy: string,
  causationId: string,
): Promise<string> {
  const syncLogId = randomUUID();
  const data = catalog['push.command'].data.parse({
    syncLogId,
    entityTypes: [conflict.entity],
    recordIds: [conflict.recordId],
    dryRun: false,
    requestedBy,
  });
  await queueSync(em, {
    id: syncLogId,
    tenantId: conflict.tenantId,
    syncType: 'push',
    direction: 'to_st',
    options: { direction: 'to_st', entityTypes: data.entityTypes, recordIds: data.recordIds },
    dryRun: false,
    triggeredBy: requestedBy,
  });
  await run(
    em,
    `insert into pricebook_outbox (tenant_id, subject, event_type, payload, correlation_id, causation_id)
     values (?, ?, 'push.command', ?::jsonb, ?, ?)`,
    [
      conflict.tenantId,
      subjects.command(conflict.tenantId, 'push'),
      JSON.stringify(data),
      syncLogId,
      causationId,
    ],
  );
  return syncLogId;
}
