import {
  type ChangeOperation,
  type ChangeOrigin,
  type ChangesQuery,
  type EntityType,
  entityTypes,
  type PricebookChange,
  type PricebookHistoryQuery,
} from '@pricebook/contracts';
import { type EntityManager, findLocalRow } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import { recordRef } from './pricebook';
import { cursorParts, decodeCursor, iso, keysetPage, num, timestampKey } from './values';

/** An audit row as the queries below select it. */
export interface ChangeRow {
  id: string;
  entity_type: EntityType;
  record_id: string;
  st_id: string | null;
  operation: ChangeOperation;
  origin: ChangeOrigin;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changed_fields: string[];
  sync_log_id: string | null;
  actor: string | null;
  changeset_id: string | null;
  created_at: string | Date;
  created_key: string;
  /** `seq` as text, under its own name: an output column named `seq` would sort as text. */
  seq_key: string;
}

/** The columns behind {@link ChangeRow}. */
export const changeColumns = `id, entity_type, record_id, st_id, operation, origin, before, after, changed_fields,
  sync_log_id, actor, changeset_id, created_at, ${timestampKey('created_at')} as created_key, seq::text as seq_key`;

/** An audit row in the API's shape. */
export function toChange(row: ChangeRow): PricebookChange {
  return {
    id: row.id,
    occurredAt: iso(row.created_at),
    entity: row.entity_type,
    recordId: row.record_id,
    stId: num(row.st_id),
    operation: row.operation,
    origin: row.origin,
    actor: row.actor,
    syncLogId: row.sync_log_id,
    changeSetId: row.changeset_id,
    changedFields: row.changed_fields,
    before: row.before,
    after: row.after,
  };
}

/** The row a history names, as it is now (or as its last audit row left it). */
export interface HistoryTarget {
  recordId: string;
  stId: number | null;
}

/**
 * The row `{id}` names, deleted rows included. A row removed from its table outright (by SQL; the
 * engine only soft-deletes) is still found by its uuid through its audit rows, so its history
 * stays readable; `st:<stId>` looks only at the table. Unknown → 404.
 *
 * @example
 * const target = await historyTarget(em, '1001', 'materials', 'st:48213');
 */
export async function historyTarget(
  em: EntityManager,
  tenantId: string,
  entity: EntityType,
  id: string,
): Promise<HistoryTarget> {
  const ref = recordRef(id);
  const row = ref ? await findLocalRow(em, tenantId, entity, ref) : undefined;
  if (row) return { recordId: row.id, stId: row.stId };
  if (ref && 'id' in ref) {
    const [last] = await em.execute<Array<{ st_id: string | null }>>(
      `select st_id from pricebook_changes
        where tenant_id = ? and entity_type = ? and record_id = ? order by seq desc limit 1`,
      [tenantId, entity, ref.id],
    );
    if (last) return { recordId: ref.id, stId: num(last.st_id) };
  }
  throw new AppError('not_found', `no ${entity} record ${id}`);
}

/** A statement and its parameters, so a test can EXPLAIN exactly what a page runs. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * The statement of one page of a row's history: `limit + 1` rows, the last change first, by
 * `seq` (the order the changes were made: each change's `before` is the `after` of the one below
 * it, whichever transaction began first), read backwards off `pricebook_changes_record_idx`.
 */
export function historyStatement(
  tenantId: string,
  entity: EntityType,
  recordId: string,
  query: PricebookHistoryQuery,
): Statement {
  const where = ['tenant_id = ?', 'entity_type = ?', 'record_id = ?'];
  const params: unknown[] = [tenantId, entity, recordId];
  if (query.cursor !== undefined) {
    const [seq] = decodeCursor(query.cursor, [cursorParts.seq], 'cursor');
    where.push('seq < ?::bigint');
    params.push(seq);
  }
  params.push(query.limit + 1);
  return {
    sql: `select ${changeColumns} from pricebook_changes where ${where.join(' and ')} order by seq desc limit ?`,
    params,
  };
}

/**
 * A page of one row's changes, the last one first.
 *
 * @example
 * const { changes, nextCursor } = await listHistory(em, '1001', 'materials', target.recordId, { limit: 50 });
 */
export async function listHistory(
  em: EntityManager,
  tenantId: string,
  entity: EntityType,
  recordId: string,
  query: PricebookHistoryQuery,
): Promise<{ changes: PricebookChange[]; nextCursor: string | null }> {
  const { sql, params } = historyStatement(tenantId, entity, recordId, query);
  const rows = await em.execute<ChangeRow[]>(sql, params);
  const { items, nextCursor } = keysetPage(rows, query.limit, (r) => [r.seq_key]);
  return { changes: items.map(toChange), nextCursor };
}

/**
 * The statement of one page of the tenant's changes: `limit + 1` rows, newest first by
 * `(created_at, seq)`, a unique keyset, so a change written between two page reads lands before
 * the first page (or, if its transaction began earlier, where it belongs) and never moves a row
 * across the cursor: no page repeats or skips a change the previous one could see. Each filter
 * is a range of one of the audit indexes (migration `20261208020000-audit-reads`).
 */
export function changesStatement(tenantId: string, query: ChangesQuery): Statement {
  const where = ['tenant_id = ?'];
  const params: unknown[] = [tenantId];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (query.entity !== undefined) add('entity_type = ?', query.entity);
  else if (query.recordId !== undefined) {
    // Names every entity so pricebook_changes_record_idx (tenant, entity, record, seq) serves a
    // row's changes; without it the planner walks the tenant's whole trail.
    add(`entity_type in (${entityTypes.map(() => '?').join(', ')})`, ...entityTypes);
  }
  if (query.recordId !== undefined) add('record_id = ?', query.recordId);
  if (query.origin !== undefined) add('origin = ?', query.origin);
  if (query.actor !== undefined) add('actor = ?', query.actor);
  if (query.syncLogId !== undefined) add('sync_log_id = ?', query.syncLogId);
  if (query.from !== undefined) add('created_at >= ?::timestamptz', query.from);
  if (query.to !== undefined) add('created_at < ?::timestamptz', query.to);
  if (query.cursor !== undefined) {
    const key = decodeCursor(query.cursor, [cursorParts.timestamp, cursorParts.seq], 'cursor');
    add('(created_at, seq) < (?::timestamptz, ?::bigint)', ...key);
  }
  params.push(query.limit + 1);
  return {
    sql: `select ${changeColumns} from pricebook_changes where ${where.join(' and ')}
      order by created_at desc, seq desc limit ?`,
    params,
  };
}

/**
 * A page of the tenant's changes, newest first, filtered.
 *
 * @example
 * const { changes, nextCursor } = await listChanges(em, '1001', { limit: 50, origin: 'local' });
 */
export async function listChanges(
  em: EntityManager,
  tenantId: string,
  query: ChangesQuery,
): Promise<{ changes: PricebookChange[]; nextCursor: string | null }> {
  const { sql, params } = changesStatement(tenantId, query);
  const rows = await em.execute<ChangeRow[]>(sql, params);
  const { items, nextCursor } = keysetPage(rows, query.limit, (r) => [r.created_key, r.seq_key]);
  return { changes: items.map(toChange), nextCursor };
}
