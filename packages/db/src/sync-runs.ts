import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityType } from '@pricebook/contracts';

export interface SyncRunKey {
  tenantId: string;
  entityType: EntityType;
  syncLogId: string;
}

/**
 * Takes the "one running sync per tenant and entity" lock for `syncLogId`. Succeeds when no sync
 * holds it, when this sync already does (a redelivered command), or when the holder's heartbeat is
 * older than `staleAfterMs` (its process died). Returns false when another live sync holds it.
 */
export async function acquireSyncRun(
  em: EntityManager,
  key: SyncRunKey,
  staleAfterMs: number,
): Promise<boolean> {
  const rows = await em.execute(
    `insert into pricebook_sync_runs (tenant_id, entity_type, sync_log_id) values (?, ?, ?)
     on conflict (tenant_id, entity_type) do update
        set sync_log_id = excluded.sync_log_id, started_at = now(), heartbeat_at = now()
      where pricebook_sync_runs.sync_log_id = excluded.sync_log_id
         or pricebook_sync_runs.heartbeat_at < now() - make_interval(secs => ?)
     returning sync_log_id`,
    [key.tenantId, key.entityType, key.syncLogId, staleAfterMs / 1000],
  );
  return rows.length > 0;
}

/** Proves the holder is alive; false means the lock was taken over and the sync must stop. */
export async function heartbeatSyncRun(em: EntityManager, key: SyncRunKey): Promise<boolean> {
  const result = await em.execute<{ affectedRows: number }>(
    `update pricebook_sync_runs set heartbeat_at = now()
      where tenant_id = ? and entity_type = ? and sync_log_id = ?`,
    [key.tenantId, key.entityType, key.syncLogId],
    'run',
  );
  return result.affectedRows > 0;
}

/** Releases the lock if `syncLogId` still holds it; returns whether it did. */
export async function releaseSyncRun(em: EntityManager, key: SyncRunKey): Promise<boolean> {
  const result = await em.execute<{ affectedRows: number }>(
    'delete from pricebook_sync_runs where tenant_id = ? and entity_type = ? and sync_log_id = ?',
    [key.tenantId, key.entityType, key.syncLogId],
    'run',
  );
  return result.affectedRows > 0;
}
