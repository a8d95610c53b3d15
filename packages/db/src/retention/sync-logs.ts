import type { EntityManager } from '@mikro-orm/postgresql';
import { endedSyncStatuses } from '../sync-life-cycle/index';
import { countOf, cutoffSql, type RetentionBatch } from './batch';

/**
 * Whether sync log row `s` may go (parameters: tenant, retention ms). Only an ended sync past the
 * retention that nothing kept still points at: no run lock, no conflict (resolved ones keep
 * linking to the sync that found them), no audit row, no quarantined record, no unpublished
 * outbox row (its `sync.*` events).
 */
const expendable = `s.tenant_id = ? and s.created_at < ${cutoffSql}
  and s.status in (${endedSyncStatuses.map((status) => `'${status}'`).join(', ')})
  and not exists (select 1 from pricebook_sync_runs r where r.sync_log_id = s.id)
  and not exists (select 1 from pricebook_sync_conflicts f where f.tenant_id = s.tenant_id and f.sync_log_id = s.id)
  and not exists (select 1 from pricebook_changes c where c.sync_log_id = s.id)
  and not exists (select 1 from pricebook_quarantine q where q.sync_log_id = s.id)
  and not exists (select 1 from pricebook_outbox o where o.published_at is null and o.correlation_id = s.id)`;

/**
 * Deletes one batch of ledger rows (`pricebook_sync_items`: a dry run's plan, a failed sync's
 * accounting) of syncs that {@link purgeSyncLogs} may delete, and returns how many went. Run it
 * until it returns less than the limit, then purge the sync logs: a sync's ledger can hold a row
 * per item, too many for one statement.
 */
export async function purgeSyncItems(em: EntityManager, batch: RetentionBatch): Promise<number> {
  const rows = await em.execute<{ n: string }[]>(
    `with doomed as (
       select i.sync_log_id, i.entity_type, i.item_key from pricebook_sync_items i
        where i.sync_log_id in (select s.id from pricebook_sync_log s where ${expendable})
        limit ?
        for update of i skip locked
     ), gone as (
       delete from pricebook_sync_items i using doomed
        where (i.sync_log_id, i.entity_type, i.item_key) = (doomed.sync_log_id, doomed.entity_type, doomed.item_key)
        returning 1
     )
     select count(*) as n from gone`,
    [batch.tenantId, batch.olderThanMs, batch.limit],
  );
  return countOf(rows);
}

/**
 * Deletes one batch of sync log rows past the retention, oldest first, and returns how many went.
 * Keeps every sync that is not over and every sync something kept refers to (see above); a sync
 * with ledger rows left is kept until {@link purgeSyncItems} has removed them.
 *
 * @example
 * const n = await purgeSyncLogs(em, { tenantId, olderThanMs: 180 * 86_400_000, limit: 1000 });
 */
export async function purgeSyncLogs(em: EntityManager, batch: RetentionBatch): Promise<number> {
  const rows = await em.execute<{ n: string }[]>(
    `with doomed as (
       select s.id from pricebook_sync_log s
        where ${expendable}
          and not exists (select 1 from pricebook_sync_items i where i.sync_log_id = s.id)
        order by s.created_at
        limit ?
        for update of s skip locked
     ), gone as (
       delete from pricebook_sync_log s using doomed where s.id = doomed.id returning 1
     )
     select count(*) as n from gone`,
    [batch.tenantId, batch.olderThanMs, batch.limit],
  );
  return countOf(rows);
}
