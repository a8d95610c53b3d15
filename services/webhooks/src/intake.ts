import type { AcceptedType, consumers } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import type { BatchHandler } from '@pricebook/messaging';
import { entityOf, webhookPayloadOf } from './payload';

type EventType = AcceptedType<typeof consumers.webhooks>;

/**
 * The consumer's handler: for each public event, one pending delivery per active subscription of
 * its tenant that wants its type (and its entity type), all in one transaction per batch. The
 * runner acks the batch only after it commits; a database outage holds the messages in hand. A
 * redelivered event finds its deliveries already recorded (unique per subscription and event).
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.webhooks, handler: recordDeliveries(orm) });
 */
export function recordDeliveries(orm: Orm): BatchHandler<EventType> {
  return async (batch) => {
    await orm.em.fork().transactional(async (em) => {
      for (const { message } of batch) {
        const payload = webhookPayloadOf(message);
        const entity = entityOf(message);
        await em.execute(
          `insert into pricebook_webhook_deliveries
             (subscription_id, tenant_id, event_id, event_type, entity_type, occurred_at, payload, next_attempt_at)
           select s.id, s.tenant_id, ?, ?, ?, ?::timestamptz, ?::jsonb, now()
             from pricebook_webhook_subscriptions s
            where s.tenant_id = ? and s.status = 'active' and ? = any(s.event_types)
              and (s.entity_types is null or ?::text is null or ?::text = any(s.entity_types))
           on conflict (subscription_id, event_id) do nothing`,
          [
            message.id,
            payload.type,
            entity,
            message.occurredAt,
            JSON.stringify(payload),
            message.tenant,
            payload.type,
            entity,
            entity,
          ],
        );
      }
    });
  };
}
