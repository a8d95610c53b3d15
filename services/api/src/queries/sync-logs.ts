import {
  type EntityType,
  entityTypes,
  type LogDetailResponse,
  type LogsQuery,
  type PushImpact,
  type SyncLogStatus,
  type SyncLogSummary,
  type SyncStats,
  type SyncType,
} from '@pricebook/contracts';
import type { EntityCounters, EntityManager } from '@pricebook/db';
import { fieldErrors } from '../errors/handle-error';
import { createdCursor, iso, keysetPage, timestampKey } from './values';

interface SyncLogRow {
  id: string;
  sync_type: SyncType;
  direction: SyncLogSummary['direction'];
  status: SyncLogStatus;
  dry_run: boolean;
  options: Record<string, unknown>;
  triggered_by: string | null;
  created_at: string | Date;
  started_at: string | Date | null;
  completed_at: string | Date | null;
  duration_ms: number | null;
  records_fetched: number;
  records_created: number;
  records_updated: number;
  records_deleted: number;
  records_skipped: number;
  conflicts: number;
  errors: number;
  error_message: string | null;
  // The applier adds to an entity's counters as it meets them, so a running sync's may be partial.
  entity_stats: Partial<Record<EntityType, Partial<EntityCounters>>>;
  push_impact: PushImpact | null;
  created_key: string;
}

const columns = `id, sync_type, direction, status, dry_run, options, triggered_by, created_at, started_at,
  completed_at, duration_ms, records_fetched, records_created, records_updated, records_deleted,
  records_skipped, conflicts, errors, error_message, entity_stats, push_impact, ${timestampKey('created_at')} as created_key`;

function summary(row: SyncLogRow): SyncLogSummary {
  return {
    id: row.id,
    syncType: row.sync_type,
    direction: row.direction,
    status: row.status,
    dryRun: row.dry_run,
    options: row.options,
    triggeredBy: row.triggered_by,
    createdAt: iso(row.created_at),
    startedAt: iso(row.started_at),
    completedAt: iso(row.completed_at),
    durationMs: row.duration_ms,
    recordsFetched: row.records_fetched,
    recordsCreated: row.records_created,
    recordsUpdated: row.records_updated,
    recordsDeleted: row.records_deleted,
    recordsSkipped: row.records_skipped,
    conflicts: row.conflicts,
    errors: row.errors,
    errorMessage: row.error_message,
  };
}

/** A sync log with everything `GET /logs/:id` and `?wait=true` show. */
export type SyncLogDetail = LogDetailResponse['log'];

const zero: SyncStats = {
  fetched: 0,
  created: 0,
  updated: 0,
  deleted: 0,
  skipped: 0,
  conflicts: 0,
  errors: 0,
};

/** Every counter of each entity the sync has met, as the contracts' `SyncStats` has them. */
function fullStats(stats: Partial<Record<EntityType, Partial<SyncStats>>>): SyncLogDetail['entityStats'] {
  const out: SyncLogDetail['entityStats'] = {};
  for (const entity of entityTypes) {
    const s = stats[entity];
    if (s) out[entity] = { ...zero, ...s };
  }
  return out;
}

/** The spec's `stats` shape from the log's counters. */
export function statsOf(log: SyncLogSummary): SyncStats {
  return {
    fetched: log.recordsFetched,
    created: log.recordsCreated,
    updated: log.recordsUpdated,
    deleted: log.recordsDeleted,
    skipped: log.recordsSkipped,
    conflicts: log.conflicts,
    errors: log.errors,
  };
}

/**
 * One sync log of the tenant, or undefined.
 *
 * @example
 * const log = await findSyncLog(orm.em.fork(), '1001', syncLogId);
 */
export async function findSyncLog(
  em: EntityManager,
  tenantId: string,
  id: string,
): Promise<SyncLogDetail | undefined> {
  const [row] = await em.execute<SyncLogRow[]>(
    `select ${columns} from pricebook_sync_log where tenant_id = ? and id = ?`,
    [tenantId, id],
  );
  if (!row) return undefined;
  const log = summary(row);
  return {
    ...log,
    stats: statsOf(log),
    entityStats: fullStats(row.entity_stats),
    pushImpact: row.push_impact,
  };
}

/**
 * A page of the tenant's sync logs, newest first, filtered; keyset (`cursor`) or `offset` paging.
 *
 * @example
 * const { logs, nextCursor } = await listSyncLogs(em, '1001', { limit: 20, status: 'failed' });
 */
export async function listSyncLogs(
  em: EntityManager,
  tenantId: string,
  query: LogsQuery,
): Promise<{ logs: SyncLogSummary[]; nextCursor: string | null }> {
  if (query.cursor !== undefined && query.offset !== undefined) {
    throw fieldErrors([{ path: 'offset', in: 'query', message: 'give either cursor or offset, not both' }]);
  }
  const where = ['tenant_id = ?'];
  const params: unknown[] = [tenantId];
  if (query.status) {
    where.push('status = ?');
    params.push(query.status);
  }
  if (query.syncType) {
    where.push('sync_type = ?');
    params.push(query.syncType);
  }
  if (query.since) {
    where.push('created_at >= ?::timestamptz');
    params.push(query.since);
  }
  if (query.cursor !== undefined) {
    const past = createdCursor(query.cursor, '<');
    where.push(past.sql);
    params.push(...past.params);
  }
  // One row more than asked tells whether another page exists.
  params.push(query.limit + 1, query.offset ?? 0);
  const rows = await em.execute<SyncLogRow[]>(
    `select ${columns} from pricebook_sync_log where ${where.join(' and ')}
      order by created_at desc, id desc limit ? offset ?`,
    params,
  );
  const { items, nextCursor } = keysetPage(rows, query.limit, (r) => [r.created_key, r.id]);
  return { logs: items.map(summary), nextCursor };
}
