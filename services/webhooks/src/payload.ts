import {
  type Message,
  type PublicEventMessageType,
  type WebhookPayload,
  webhookEventTypeOf,
} from '@pricebook/contracts';

/**
 * The JSON body a receiver gets for one public event: Standard Webhooks' `type`, `timestamp` and
 * `data`, with the event id and tenant. `data` is the event's own, as published on NATS.
 *
 * @example
 * webhookPayloadOf(message).type; // 'conflict.opened' for a record.conflicted event
 */
export function webhookPayloadOf(message: Message<PublicEventMessageType>): WebhookPayload {
  return {
    id: message.id,
    type: webhookEventTypeOf(message.type),
    timestamp: message.occurredAt,
    tenant: message.tenant,
    correlationId: message.correlationId,
    data: { ...message.data },
  };
}

/** The entity type an event is about, if it is about one (`sync.*` events are not). */
export function entityOf(message: Message<PublicEventMessageType>): string | null {
  const entity: unknown = Reflect.get(message.data, 'entity');
  return typeof entity === 'string' ? entity : null;
}
