import type { EntityManager } from '@mikro-orm/postgresql';
import { countOf, cutoffSql, type RetentionBatch } from './batch';

/**
 * Deletes one batch of a tenant's finished webhook deliveries (`succeeded` or `failed`) recorded
 * longer ago than the retention, oldest first, and returns how many went. A pending delivery
 * stays however old it is: it has yet to reach its receiver. A delivery's attempts go with it, in
 * the same statement. Read through each subscription's delivery log index (and the attempts'
 * delivery index), so a batch does not scan the whole table.
 *
 * @example
 * const n = await purgeWebhookDeliveries(em, { tenantId, olderThanMs: 30 * 86_400_000, limit: 1000 });
 */
export async function purgeWebhookDeliveries(em: EntityManager, batch: RetentionBatch): Promise<number> {
  const rows = await em.execute<{ n: string }[]>(
    `with doomed as (
       select d.id from pricebook_webhook_deliveries d
        where d.subscription_id in (select s.id from pricebook_webhook_subscriptions s where s.tenant_id = ?)
          and d.tenant_id = ? and d.created_at < ${cutoffSql} and d.status <> 'pending'
        order by d.created_at
        limit ?
        for update of d skip locked
     ), attempts as (
       delete from pricebook_webhook_attempts a using doomed where a.delivery_id = doomed.id
     ), gone as (
       delete from pricebook_webhook_deliveries d using doomed where d.id = doomed.id returning 1
     )
     select count(*) as n from gone`,
    [batch.tenantId, batch.tenantId, batch.olderThanMs, batch.limit],
  );
  return countOf(rows);
}
