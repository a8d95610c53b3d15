import type { EntityType } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import { run } from './query';

export interface FinishedFeed {
  tenantId: string;
  entity: EntityType;
  full: boolean;
  /** Where the export feed resumes; null keeps the token saved before. */
  exportToken: string | null;
}

/**
 * Records that an entity's feed was applied up to its end: the export token (only now, once
 * everything before it is in) and the time of the last full or incremental sync.
 *
 * @example
 * await saveFeedState(em, { tenantId, entity: 'materials', full: false, exportToken: 'abc' });
 */
export async function saveFeedState(em: EntityManager, feed: FinishedFeed): Promise<void> {
  await run(
    em,
    `insert into pricebook_sync_state
       (tenant_id, entity_type, export_token, last_full_sync_at, last_incremental_sync_at, updated_at)
     values (?, ?, ?, case when ? then now() end, case when ? then null else now() end, now())
     on conflict (tenant_id, entity_type) do update set
       export_token = coalesce(excluded.export_token, pricebook_sync_state.export_token),
       last_full_sync_at = coalesce(excluded.last_full_sync_at, pricebook_sync_state.last_full_sync_at),
       last_incremental_sync_at =
         coalesce(excluded.last_incremental_sync_at, pricebook_sync_state.last_incremental_sync_at),
       updated_at = now()`,
    [feed.tenantId, feed.entity, feed.exportToken, feed.full, feed.full],
  );
}
