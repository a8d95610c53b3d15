import { z } from 'zod';
import { EntityType, TenantId } from '../entities';
import { SafeText } from '../limits';
import { catalog, type StreamMessageType } from '../messaging/catalog';
import { IsoDateTime, MessageId } from '../messaging/envelope';
import { messageTypes } from '../messaging/subjects';
import { Page, PageQuery } from './page';

/** A message type of the public events stream, as the engine publishes it on NATS. */
export type PublicEventMessageType = StreamMessageType<'PRICEBOOK_EVENTS'>;

/**
 * The public events whose webhook name differs from their message type: a receiver hears of
 * conflicts as `conflict.*`, which reads better outside the engine than `record.conflicted`.
 */
const renamedForWebhooks = {
  'record.conflicted': 'conflict.opened',
  'record.resolved': 'conflict.resolved',
} as const satisfies Partial<Record<PublicEventMessageType, string>>;
type Renamed = typeof renamedForWebhooks;

/** The webhook name of one public event message type. */
export type WebhookEventTypeOf<T extends PublicEventMessageType> = T extends keyof Renamed ? Renamed[T] : T;
/** Every event type a webhook subscription may ask for. */
export type WebhookEventType = WebhookEventTypeOf<PublicEventMessageType>;

/** The message types of the public events stream, in catalog order. */
export const publicEventMessageTypes = messageTypes.filter(
  (t): t is PublicEventMessageType => catalog[t].stream === 'PRICEBOOK_EVENTS',
);

/**
 * The webhook name of a public event message type.
 *
 * @example
 * webhookEventTypeOf('record.conflicted'); // 'conflict.opened'
 * webhookEventTypeOf('sync.completed'); // 'sync.completed'
 */
export function webhookEventTypeOf<T extends PublicEventMessageType>(type: T): WebhookEventTypeOf<T> {
  const renamed: Partial<Record<PublicEventMessageType, string>> = renamedForWebhooks;
  return (renamed[type] ?? type) as WebhookEventTypeOf<T>;
}

/**
 * Every webhook event type, derived from the message catalog (each type of the public events
 * stream), so a new event type becomes subscribable without a second list.
 */
export const webhookEventTypes = publicEventMessageTypes.map(webhookEventTypeOf) as [
  WebhookEventType,
  ...WebhookEventType[],
];

export const WebhookEventType = z.enum(webhookEventTypes).meta({ id: 'WebhookEventType' });

/** A subscription delivers while `active`; a `disabled` one keeps its deliveries and sends none. */
export const webhookStatuses = ['active', 'disabled'] as const;
export const WebhookStatus = z.enum(webhookStatuses);
export type WebhookStatus = z.infer<typeof WebhookStatus>;

/**
 * `pending` waits for its next attempt (a disabled subscription's stay pending until it is enabled);
 * `succeeded` got a 2xx; `failed` ran out of attempts, or its receiver answered 410 Gone.
 */
export const webhookDeliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
export const WebhookDeliveryStatus = z.enum(webhookDeliveryStatuses);
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>;

const distinct = (values: readonly unknown[]) => new Set(values).size === values.length;

const webhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .meta({
    description:
      'Where deliveries are POSTed: `https`, and a host that resolves to public addresses only ' +
      '(an operator may allow `http` and private addresses with `WEBHOOKS_ALLOW_PRIVATE_URLS=true`)',
    example: 'https://hooks.example.com/pricebook',
  });
const eventTypesField = z
  .array(WebhookEventType)
  .min(1)
  .refine(distinct, 'event types must not repeat')
  .meta({ description: 'The event types delivered', example: ['conflict.opened', 'record.updated'] });
const entityTypesField = z
  .array(EntityType)
  .min(1)
  .refine(distinct, 'entity types must not repeat')
  .nullable()
  .meta({
    description:
      'Only events about these entity types (events without an entity, such as `sync.*`, always pass); null: every entity type',
    example: ['materials'],
  });
const descriptionField = SafeText.max(500).meta({ example: 'Conflicts to the n8n chat workflow' });

const webhookId = 'a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f607';
const deliveryId = 'd7e6f5a4-b3c2-4d1e-9f08-a1b2c3d4e5f6';

const subscriptionExample = {
  id: webhookId,
  tenantId: '1045327',
  url: 'https://hooks.example.com/pricebook',
  eventTypes: ['conflict.opened', 'record.updated'],
  entityTypes: null,
  description: 'Conflicts to the n8n chat workflow',
  status: 'active',
  disabledReason: null,
  disabledAt: null,
  createdAt: '2026-12-06T15:00:00.000Z',
  updatedAt: '2026-12-06T15:00:00.000Z',
} as const;

/** One webhook subscription as the API shows it: never its secret. */
export const WebhookSubscription = z
  .object({
    id: z.guid(),
    tenantId: TenantId,
    url: z.string(),
    eventTypes: z.array(WebhookEventType),
    entityTypes: z.array(EntityType).nullable(),
    description: z.string().nullable(),
    status: WebhookStatus,
    disabledReason: z
      .string()
      .nullable()
      .meta({ description: 'Why it was disabled (by a person or by failures)' }),
    disabledAt: IsoDateTime.nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'WebhookSubscription', example: subscriptionExample });
export type WebhookSubscription = z.infer<typeof WebhookSubscription>;

/** `POST /api/webhooks`. */
export const WebhookCreateRequest = z
  .strictObject({
    url: webhookUrl,
    eventTypes: eventTypesField,
    entityTypes: entityTypesField.default(null),
    description: descriptionField.optional(),
  })
  .meta({
    id: 'WebhookCreateRequest',
    example: { url: 'https://hooks.example.com/pricebook', eventTypes: ['conflict.opened'] },
  });
export type WebhookCreateRequest = z.infer<typeof WebhookCreateRequest>;

/** `PATCH /api/webhooks/{id}`: only the fields given change. */
export const WebhookUpdateRequest = z
  .strictObject({
    url: webhookUrl,
    eventTypes: eventTypesField,
    entityTypes: entityTypesField,
    description: descriptionField.nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change')
  .meta({ id: 'WebhookUpdateRequest', example: { eventTypes: ['conflict.opened', 'conflict.resolved'] } });
export type WebhookUpdateRequest = z.infer<typeof WebhookUpdateRequest>;

/** A signing secret in the Standard Webhooks form: `whsec_` and the base64 key. */
export const WebhookSecret = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/)
  .meta({
    description: 'The signing secret, shown only in this response: keep it, the API never returns it again',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  });

/** `POST /api/webhooks` (201): the subscription and, this once, its signing secret. */
export const WebhookCreated = z
  .object({ success: z.literal(true), webhook: WebhookSubscription, secret: WebhookSecret })
  .meta({
    id: 'WebhookCreated',
    example: {
      success: true,
      webhook: subscriptionExample,
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    },
  });
export type WebhookCreated = z.infer<typeof WebhookCreated>;

/** `GET`/`PATCH /api/webhooks/{id}`, `POST /api/webhooks/{id}/enable`. */
export const WebhookResponse = z
  .object({ success: z.literal(true), webhook: WebhookSubscription })
  .meta({ id: 'WebhookResponse', example: { success: true, webhook: subscriptionExample } });
export type WebhookResponse = z.infer<typeof WebhookResponse>;

/** `GET /api/webhooks`. */
export const WebhookList = z
  .object({ success: z.literal(true), webhooks: z.array(WebhookSubscription), page: Page })
  .meta({
    id: 'WebhookList',
    example: { success: true, webhooks: [subscriptionExample], page: { limit: 50, nextCursor: null } },
  });
export type WebhookList = z.infer<typeof WebhookList>;

/** The query of `GET /api/webhooks`. */
export const WebhooksQuery = PageQuery.extend({
  status: WebhookStatus.optional().meta({ param: { name: 'status', in: 'query' } }),
});
export type WebhooksQuery = z.infer<typeof WebhooksQuery>;

/** The path of `/api/webhooks/{id}…`. */
export const WebhookParams = z.object({
  id: z.guid().meta({ param: { name: 'id', in: 'path' }, example: webhookId }),
});
export type WebhookParams = z.infer<typeof WebhookParams>;

/** The path of `/api/webhooks/{id}/deliveries/{deliveryId}/replay`. */
export const WebhookDeliveryParams = WebhookParams.extend({
  deliveryId: z.guid().meta({ param: { name: 'deliveryId', in: 'path' }, example: deliveryId }),
});
export type WebhookDeliveryParams = z.infer<typeof WebhookDeliveryParams>;

const deliveryExample = {
  id: deliveryId,
  subscriptionId: webhookId,
  eventId: 'evt:conflict:c3d2e1f0-a9b8-4c7d-8e6f-5a4b3c2d1e0f:opened',
  eventType: 'conflict.opened',
  status: 'pending',
  attempts: 2,
  lastStatusCode: 503,
  lastError: 'HTTP 503',
  lastResponseMs: 84,
  lastAttemptAt: '2026-12-06T15:00:05.120Z',
  nextAttemptAt: '2026-12-06T15:05:05.000Z',
  createdAt: '2026-12-06T15:00:00.000Z',
  deliveredAt: null,
} as const;

/** One event to deliver to one subscription, and how its attempts went. */
export const WebhookDelivery = z
  .object({
    id: z.guid(),
    subscriptionId: z.guid(),
    eventId: MessageId.meta({
      description: 'The event id, sent as `webhook-id` (the same on every attempt)',
    }),
    eventType: WebhookEventType,
    status: WebhookDeliveryStatus,
    attempts: z.number().int().meta({ description: 'Attempts made so far' }),
    lastStatusCode: z.number().int().nullable().meta({ description: "The receiver's last HTTP status" }),
    lastError: z.string().nullable().meta({ description: 'Why the last attempt failed' }),
    lastResponseMs: z.number().int().nullable().meta({ description: 'How long the last attempt took' }),
    lastAttemptAt: IsoDateTime.nullable(),
    nextAttemptAt: IsoDateTime.nullable().meta({
      description: 'When the next attempt is due (pending only)',
    }),
    createdAt: IsoDateTime,
    deliveredAt: IsoDateTime.nullable(),
  })
  .meta({ id: 'WebhookDelivery', example: deliveryExample });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

/** The query of `GET /api/webhooks/{id}/deliveries`: newest first. */
export const WebhookDeliveriesQuery = PageQuery.extend({
  status: WebhookDeliveryStatus.optional().meta({ param: { name: 'status', in: 'query' } }),
});
export type WebhookDeliveriesQuery = z.infer<typeof WebhookDeliveriesQuery>;

/** `GET /api/webhooks/{id}/deliveries`. */
export const WebhookDeliveryList = z
  .object({ success: z.literal(true), deliveries: z.array(WebhookDelivery), page: Page })
  .meta({
    id: 'WebhookDeliveryList',
    example: { success: true, deliveries: [deliveryExample], page: { limit: 50, nextCursor: null } },
  });
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;

/** `POST /api/webhooks/{id}/deliveries/{deliveryId}/replay`: the delivery, due again now. */
export const WebhookDeliveryResponse = z
  .object({ success: z.literal(true), delivery: WebhookDelivery })
  .meta({ id: 'WebhookDeliveryResponse', example: { success: true, delivery: deliveryExample } });
export type WebhookDeliveryResponse = z.infer<typeof WebhookDeliveryResponse>;

/** `POST /api/webhooks/{id}/replay`: deliver again every event of a time range. */
export const WebhookReplayRequest = z
  .strictObject({
    since: IsoDateTime.meta({ description: 'Events recorded at or after this instant' }),
    until: IsoDateTime.optional().meta({ description: 'Events recorded before this instant (default: now)' }),
  })
  .refine((v) => v.until === undefined || Date.parse(v.since) < Date.parse(v.until), {
    message: '`since` must be before `until`',
    path: ['until'],
  })
  .meta({ id: 'WebhookReplayRequest', example: { since: '2026-12-06T00:00:00Z' } });
export type WebhookReplayRequest = z.infer<typeof WebhookReplayRequest>;

/** The answer to a range replay: how many deliveries were queued again. */
export const WebhookReplayResponse = z
  .object({ success: z.literal(true), queued: z.number().int() })
  .meta({ id: 'WebhookReplayResponse', example: { success: true, queued: 42 } });
export type WebhookReplayResponse = z.infer<typeof WebhookReplayResponse>;

/**
 * The JSON body POSTed to a receiver (Standard Webhooks' `type`, `timestamp`, `data`), with the
 * event id and tenant. `data` is the event's `data` as published on NATS.
 */
export const WebhookPayload = z
  .object({
    id: MessageId.meta({ description: 'The event id, also the `webhook-id` header' }),
    type: WebhookEventType,
    timestamp: IsoDateTime.meta({ description: 'When the event happened' }),
    tenant: TenantId,
    correlationId: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'WebhookPayload' });
export type WebhookPayload = z.infer<typeof WebhookPayload>;
