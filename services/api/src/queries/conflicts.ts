import type {
  Conflict,
  ConflictResolution,
  ConflictStatus,
  ConflictsQuery,
  ConflictType,
  EntityType,
} from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import { createdCursor, iso, keysetPage, num, timestampKey } from './values';

type Json = Record<string, unknown>;

interface ConflictRow {
  id: string;
  entity_type: EntityType;
  record_id: string;
  st_id: string | null;
  conflict_type: ConflictType;
  status: ConflictStatus;
  st_version: Json | null;
  local_version: Json | null;
  base_version: Json | null;
  field_diff: Conflict['fieldDiff'];
  resolution: ConflictResolution | null;
  resolved_data: Json | null;
  resolved_by: string | null;
  resolved_at: string | Date | null;
  reviewed_by: string | null;
  reviewed_at: string | Date | null;
  review_note: string | null;
  sync_log_id: string | null;
  created_at: string | Date;
  created_key: string;
}

const columns = `id, entity_type, record_id, st_id::text as st_id, conflict_type, status, st_version,
  local_version, base_version, field_diff, resolution, resolved_data, resolved_by, resolved_at, reviewed_by,
  reviewed_at, review_note, sync_log_id, created_at, ${timestampKey('created_at')} as created_key`;

function conflictOf(r: ConflictRow): Conflict {
  return {
    id: r.id,
    entityType: r.entity_type,
    recordId: r.record_id,
    stId: num(r.st_id),
    conflictType: r.conflict_type,
    status: r.status,
    stVersion: r.st_version,
    localVersion: r.local_version,
    baseVersion: r.base_version,
    fieldDiff: r.field_diff,
    resolution: r.resolution,
    resolvedData: r.resolved_data,
    resolvedBy: r.resolved_by,
    resolvedAt: iso(r.resolved_at),
    reviewedBy: r.reviewed_by,
    reviewedAt: iso(r.reviewed_at),
    reviewNote: r.review_note,
    syncLogId: r.sync_log_id,
    createdAt: iso(r.created_at),
  };
}

/**
 * One conflict of the tenant, or undefined.
 *
 * @example
 * const conflict = await findConflict(orm.em.fork(), '1001', id);
 */
export async function findConflict(
  em: EntityManager,
  tenantId: string,
  id: string,
): Promise<Conflict | undefined> {
  const [row] = await em.execute<ConflictRow[]>(
    `select ${columns} from pricebook_sync_conflicts where tenant_id = ? and id = ?`,
    [tenantId, id],
  );
  return row ? conflictOf(row) : undefined;
}

/**
 * Records that a person looked at an unresolved conflict and left it open (strategy `manual`):
 * who, when and their note (none clears an earlier one). A note on a conflict is not a
 * pricebook edit, so it touches no pricebook row, audit row or event. Returns the conflict, or
 * undefined when it is no longer unresolved (the applier settled it meanwhile).
 *
 * @example
 * const conflict = await markReviewed(em, '1001', id, { reviewedBy: 'ana', note: 'ask the vendor' });
 */
export async function markReviewed(
  em: EntityManager,
  tenantId: string,
  id: string,
  review: { reviewedBy: string; note: string | undefined },
): Promise<Conflict | undefined> {
  const [row] = await em.execute<ConflictRow[]>(
    `update pricebook_sync_conflicts set reviewed_by = ?, reviewed_at = now(), review_note = ?
      where tenant_id = ? and id = ? and status = 'unresolved'
      returning ${columns}`,
    [review.reviewedBy, review.note ?? null, tenantId, id],
  );
  return row ? conflictOf(row) : undefined;
}

/**
 * The unresolved conflict that replaced a superseded one (same record, opened after it), if any.
 *
 * @example
 * const next = await successorOf(em, '1001', superseded);
 */
export async function successorOf(em: EntityManager, tenantId: string, c: Conflict): Promise<string | null> {
  const [row] = await em.execute<{ id: string }[]>(
    `select id from pricebook_sync_conflicts
      where tenant_id = ? and entity_type = ? and record_id = ? and status = 'unresolved' and created_at >= ?`,
    [tenantId, c.entityType, c.recordId, c.createdAt],
  );
  return row?.id ?? null;
}

/**
 * A page of the tenant's conflicts, newest first, with the total and the counts by status.
 *
 * @example
 * const page = await listConflicts(em, '1001', { status: 'unresolved', limit: 50 });
 */
export async function listConflicts(em: EntityManager, tenantId: string, query: ConflictsQuery) {
  const where = ['tenant_id = ?'];
  const params: unknown[] = [tenantId];
  if (query.entityType) {
    where.push('entity_type = ?');
    params.push(query.entityType);
  }
  if (query.conflictType) {
    where.push('conflict_type = ?');
    params.push(query.conflictType);
  }
  if (query.since) {
    where.push('created_at >= ?::timestamptz');
    params.push(query.since);
  }
  // Counts by status share every filter but the status itself.
  const countRows = await em.execute<{ status: ConflictStatus; n: string }[]>(
    `select status, count(*) as n from pricebook_sync_conflicts where ${where.join(' and ')} group by status`,
    params,
  );
  const counts = { unresolved: 0, resolved: 0, superseded: 0 };
  for (const r of countRows) counts[r.status] = Number(r.n);

  const pageWhere = [...where, 'status = ?'];
  const pageParams = [...params, query.status];
  if (query.cursor !== undefined) {
    const past = createdCursor(query.cursor, '<');
    pageWhere.push(past.sql);
    pageParams.push(...past.params);
  }
  // One row more than asked tells whether another page exists.
  const rows = await em.execute<ConflictRow[]>(
    `select ${columns} from pricebook_sync_conflicts where ${pageWhere.join(' and ')}
      order by created_at desc, id desc limit ?`,
    [...pageParams, query.limit + 1],
  );
  const { items, nextCursor } = keysetPage(rows, query.limit, (r) => [r.created_key, r.id]);
  return { conflicts: items.map(conflictOf), total: counts[query.status], counts, nextCursor };
}
