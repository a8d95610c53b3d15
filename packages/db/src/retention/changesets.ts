import type { EntityManager } from '@mikro-orm/postgresql';
import { countOf, cutoffSql, type RetentionBatch } from './batch';

/**
 * Deletes one batch of a tenant's change-sets past the audit retention that have no audit row
 * left (the audit retention took them all), oldest first, and returns how many went. A
 * change-set with a change still kept stays: it can be listed, read and reverted.
 *
 * @example
 * const n = await purgeChangeSets(em, { tenantId, olderThanMs: 365 * 86_400_000, limit: 1000 });
 */
export async function purgeChangeSets(em: EntityManager, batch: RetentionBatch): Promise<number> {
  const rows = await em.execute<{ n: string }[]>(
    `with doomed as (
       select s.id from pricebook_changesets s
        where s.tenant_id = ? and s.created_at < ${cutoffSql}
          and not exists (select 1 from pricebook_changes c where c.changeset_id = s.id)
        order by s.created_at
        limit ?
        for update of s skip locked
     ), gone as (
       delete from pricebook_changesets s using doomed where s.id = doomed.id returning 1
     )
     select count(*) as n from gone`,
    [batch.tenantId, batch.olderThanMs, batch.limit],
  );
  return countOf(rows);
}
