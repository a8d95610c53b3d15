import type { EntityManager } from '@mikro-orm/postgresql';
import { countOf, cutoffSql, type RetentionBatch } from './batch';

/**
 * Deletes one batch of quarantined ServiceTitan records older than the retention, oldest first,
 * and returns how many went. A record still broken in ServiceTitan is quarantined again by the
 * next sync that reads it, so a current copy is never lost.
 *
 * @example
 * const n = await purgeQuarantine(em, { tenantId, olderThanMs: 30 * 86_400_000, limit: 1000 });
 */
export async function purgeQuarantine(em: EntityManager, batch: RetentionBatch): Promise<number> {
  const rows = await em.execute<{ n: string }[]>(
    `with doomed as (
       select id from pricebook_quarantine
        where tenant_id = ? and created_at < ${cutoffSql}
        order by created_at
        limit ?
        for update skip locked
     ), gone as (
       delete from pricebook_quarantine q using doomed where q.id = doomed.id returning 1
     )
     select count(*) as n from gone`,
    [batch.tenantId, batch.olderThanMs, batch.limit],
  );
  return countOf(rows);
}
