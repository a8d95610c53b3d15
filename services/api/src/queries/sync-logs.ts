import {
  type EntityType,
  entityTypes,
  type LogDetailResponse,
  type LogsQuery,
  type PushImpact,
  type SyncLogSummary,
  type SyncStats,
  zeroSyncStats,
} from '@pricebook/contracts';
import { type EntityCounters, type EntityManager, type SyncLogRow, syncLogColumns } from '@pricebook/db';
import { fieldErrors } from '../errors/handle-error';
import { createdCursor, iso, keysetPage, timestampKey } from './values';

/** A sync log row as the API shows it: the life cycle's row, plus who asked, when, and the push brake. */
interface LogRow extends Omit<SyncLogRow, 'entity_stats'> {
  triggered_by: string | null;
  created_at: string | Date;
  // The applier adds to an entity's counters as it meets them, so a running sync's may be partial.
  entity_stats: Partial<Record<EntityType, Partial<EntityCounters>>>;
  push_impact: PushImpact | null;
  created_key: string;
}

/** The select list of a `LogRow` over `pricebook_sync_log l`. */
const columns = `${syncLogColumns('l')}, l.triggered_by, l.created_at, l.push_impact,
  ${timestampKey('l.created_at')} as created_key`;

function summary(row: LogRow): SyncLogSummary {
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

/** Every counter of each entity the sync has met, as the contracts' `SyncStats` has them. */
function fullStats(stats: Partial<Record<EntityType, Partial<SyncStats>>>): SyncLogDetail['entityStats'] {
  const out: SyncLogDetail['entityStats'] = {};
  for (const entity of entityTypes) {
    const s = stats[entity];
    if (s) out[entity] = { ...zeroSyncStats(), ...s };
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
  const [row] = await em.execute<LogRow[]>(
    `select ${columns} from pricebook_sync_log l where l.tenant_id = ? and l.id = ?`,
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
  const rows = await em.execute<LogRow[]>(
    `select ${columns} from pricebook_sync_log l where ${where.join(' and ')}
      order by created_at desc, id desc limit ? offset ?`,
    params,
  );
  const { items, nextCursor } = keysetPage(rows, query.limit, (r) => [r.created_key, r.id]);
  return { logs: items.map(summary), nextCursor };
}
