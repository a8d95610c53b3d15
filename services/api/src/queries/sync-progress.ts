import { type EntityType, readSyncOptions, type SyncProgress } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import { findSyncLog } from './sync-logs';

/**
 * Where one sync of the tenant stands: its status and live counters, and which of its entities
 * are done (an entity is done once the sync no longer holds its run lock); undefined for an
 * unknown id.
 *
 * @example
 * const progress = await loadSyncProgress(orm.em.fork(), '1001', syncLogId);
 */
export async function loadSyncProgress(
  em: EntityManager,
  tenantId: string,
  id: string,
): Promise<SyncProgress | undefined> {
  const log = await findSyncLog(em, tenantId, id);
  if (!log) return undefined;
  const held = await em.execute<{ entity_type: EntityType }[]>(
    'select entity_type from pricebook_sync_runs where tenant_id = ? and sync_log_id = ?',
    [tenantId, id],
  );
  const requested = [...readSyncOptions(log.options).entityTypes];
  const locked = new Set(held.map((r) => r.entity_type));
  // A queued sync already holds its locks, so "not locked" means finished (or given up on crash).
  const done = requested.filter((e) => !locked.has(e));
  return {
    syncLogId: log.id,
    status: log.status,
    dryRun: log.dryRun,
    stats: log.stats,
    entityStats: log.entityStats,
    entities: { requested, done },
    durationMs: log.durationMs,
    errorMessage: log.errorMessage,
  };
}
