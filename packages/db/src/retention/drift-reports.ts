import type { EntityManager } from '@mikro-orm/postgresql';
import { countOf, cutoffSql, type RetentionBatch } from './batch';

/**
 * Deletes one batch of a tenant's finished drift reports past the retention, oldest first, and
 * returns how many went. The tenant's latest finished report always stays: it is the drift state
 * the status endpoint shows.
 *
 * @example
 * const n = await purgeDriftReports(em, { tenantId, olderThanMs: 180 * 86_400_000, limit: 1000 });
 */
export async function purgeDriftReports(em: EntityManager, batch: RetentionBatch): Promise<number> {
  const rows = await em.execute<{ n: string }[]>(
    `with latest as (
       select id from pricebook_drift_reports
        where tenant_id = ? and status in ('in_sync', 'drifted', 'failed')
        order by checked_at desc nulls last, created_at desc
        limit 1
     ), doomed as (
       select d.id from pricebook_drift_reports d
        where d.tenant_id = ? and d.created_at < ${cutoffSql}
          and d.status in ('in_sync', 'drifted', 'failed')
          and d.id not in (select id from latest)
        order by d.created_at
        limit ?
        for update of d skip locked
     ), gone as (
       delete from pricebook_drift_reports d using doomed where d.id = doomed.id returning 1
     )
     select count(*) as n from gone`,
    [batch.tenantId, batch.tenantId, batch.olderThanMs, batch.limit],
  );
  return countOf(rows);
}
