import {
  type EntityType,
  entityTables,
  entityTypes,
  type StatusResponse,
  type SyncLogStatus,
  type SyncType,
} from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import { iso } from './values';

type Counts = StatusResponse['stats'][number];
type Running = StatusResponse['running'][number];
type LastSync = NonNullable<StatusResponse['lastSync']>;

interface CountRow {
  entity_type: EntityType;
  total_count: string;
  synced_count: string;
  pending_count: string;
  conflict_count: string;
}

/** Row counts of every pricebook table for the tenant, in the entities' sync order. */
export async function entityCounts(em: EntityManager, tenantId: string): Promise<Counts[]> {
  // The table names come from the contracts' constant map, never from input.
  const selects = entityTypes.map(
    (entity) => `select '${entity}' as entity_type,
       count(*) filter (where deleted_at is null) as total_count,
       count(*) filter (where deleted_at is null and sync_status = 'synced') as synced_count,
       count(*) filter (where deleted_at is null and sync_status = 'pending_sync') as pending_count,
       count(*) filter (where deleted_at is null and sync_status = 'conflict') as conflict_count
     from ${entityTables[entity]} where tenant_id = ?`,
  );
  const rows = await em.execute<CountRow[]>(
    selects.join(' union all '),
    entityTypes.map(() => tenantId),
  );
  return entityTypes.map((entity) => {
    const row = rows.find((r) => r.entity_type === entity);
    return {
      entity_type: entity,
      total_count: Number(row?.total_count ?? 0),
      synced_count: Number(row?.synced_count ?? 0),
      pending_count: Number(row?.pending_count ?? 0),
      conflict_count: Number(row?.conflict_count ?? 0),
    };
  });
}

/** The most recent sync that finished, whatever its outcome. */
export async function lastFinishedSync(em: EntityManager, tenantId: string): Promise<LastSync | null> {
  const [row] = await em.execute<
    {
      id: string;
      sync_type: SyncType;
      status: SyncLogStatus;
      started_at: string | null;
      completed_at: string | null;
      records_fetched: number;
      duration_ms: number | null;
      error_message: string | null;
    }[]
  >(
    `select id, sync_type, status, started_at, completed_at, records_fetched, duration_ms, error_message
       from pricebook_sync_log
      where tenant_id = ? and status in ('completed', 'failed', 'cancelled')
      order by coalesce(completed_at, created_at) desc, id desc limit 1`,
    [tenantId],
  );
  if (!row) return null;
  return {
    id: row.id,
    syncType: row.sync_type,
    status: row.status,
    startedAt: iso(row.started_at),
    completedAt: iso(row.completed_at),
    recordsFetched: row.records_fetched,
    durationMs: row.duration_ms,
    errorMessage: row.error_message,
  };
}

export async function unresolvedConflicts(em: EntityManager, tenantId: string): Promise<number> {
  const [row] = await em.execute<{ n: string }[]>(
    `select count(*) as n from pricebook_sync_conflicts where tenant_id = ? and status = 'unresolved'`,
    [tenantId],
  );
  return Number(row?.n ?? 0);
}

/** The syncs holding run locks, one entry per sync with the entities it holds. */
export async function runningSyncs(
  em: EntityManager,
  tenantId: string,
  staleAfterMs: number,
): Promise<Running[]> {
  const rows = await em.execute<
    {
      sync_log_id: string;
      entity_types: EntityType[];
      started_at: string;
      heartbeat_at: string;
      stale: boolean;
      sync_type: SyncType | null;
      status: SyncLogStatus | null;
      dry_run: boolean | null;
    }[]
  >(
    `select r.sync_log_id, json_agg(r.entity_type order by r.entity_type) as entity_types,
            min(r.started_at) as started_at, max(r.heartbeat_at) as heartbeat_at,
            max(r.heartbeat_at) < now() - make_interval(secs => ?) as stale,
            l.sync_type, l.status, l.dry_run
       from pricebook_sync_runs r
       left join pricebook_sync_log l on l.id = r.sync_log_id
      where r.tenant_id = ?
      group by r.sync_log_id, l.sync_type, l.status, l.dry_run
      order by min(r.started_at), r.sync_log_id`,
    [staleAfterMs / 1000, tenantId],
  );
  return rows.map((r) => ({
    syncLogId: r.sync_log_id,
    syncType: r.sync_type,
    status: r.status,
    dryRun: r.dry_run,
    // Lock order (the contracts' entity order) reads better than alphabetical.
    entityTypes: entityTypes.filter((e) => r.entity_types.includes(e)),
    startedAt: iso(r.started_at),
    heartbeatAt: iso(r.heartbeat_at),
    stale: r.stale,
  }));
}
