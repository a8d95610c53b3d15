import type { EntityManager } from '@mikro-orm/postgresql';
import { countOf, cutoffSql, type RetentionBatch } from './batch';

/**
 * Deletes one batch of dead letters (rejections included) older than the retention, oldest first,
 * and returns how many went, open and discarded alike: redriving one deletes it, and a discarded
 * one is kept only as the trace of the discard, for as long as any other. Letters without a tenant (too broken to say whose they were)
 * count as every tenant's. Rows another replica is deleting are skipped, never waited for.
 *
 * @example
 * while ((await purgeDeadLetters(em, { tenantId, olderThanMs: 30 * 86_400_000, limit: 1000 })) === 1000);
 */
export async function purgeDeadLetters(em: EntityManager, batch: RetentionBatch): Promise<number> {
  const rows = await em.execute<{ n: string }[]>(
    `with doomed as (
       select id from pricebook_dead_letters
        where created_at < ${cutoffSql} and (tenant_id = ? or tenant_id is null)
        order by created_at
        limit ?
        for update skip locked
     ), gone as (
       delete from pricebook_dead_letters d using doomed where d.id = doomed.id returning 1
     )
     select count(*) as n from gone`,
    [batch.olderThanMs, batch.tenantId, batch.limit],
  );
  return countOf(rows);
}
