import type { EntityType } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import { run } from './query';

// A sync's row and status belong to the sync life cycle (`@pricebook/db`); what stays here are the
// applier's own statements on the run locks it holds while it works on a sync.

/**
 * Releases run locks this sync still holds: one entity's, or all of them. A sync that pushes
 * (`to_st`, `bidirectional`) releases them only when its push ends, completed or failed.
 *
 * @example
 * await releaseRuns(em, tenantId, syncLogId, 'materials');
 */
export async function releaseRuns(
  em: EntityManager,
  tenantId: string,
  syncLogId: string,
  entity?: EntityType,
): Promise<number> {
  return run(
    em,
    `delete from pricebook_sync_runs
      where tenant_id = ? and sync_log_id = ? and (?::text is null or entity_type = ?::text)`,
    [tenantId, syncLogId, entity ?? null, entity ?? null],
  );
}

/**
 * Proves the sync is alive while the applier works through its decisions or pushes its local
 * edits, so its run locks are not taken over as stale (a sync whose process died stops proving
 * it, and the next sync of its entities takes the locks over after `SYNC_RUN_STALE_MS`).
 *
 * @example
 * await heartbeatRuns(em, tenantId, syncLogId);
 */
export async function heartbeatRuns(em: EntityManager, tenantId: string, syncLogId: string): Promise<void> {
  await run(
    em,
    'update pricebook_sync_runs set heartbeat_at = now() where tenant_id = ? and sync_log_id = ?',
    [tenantId, syncLogId],
  );
}
