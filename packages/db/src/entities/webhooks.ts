import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { webhookAttemptOutcomes, webhookDeliveryStatuses, webhookStatuses } from '@pricebook/contracts';

const p = defineEntity.properties;

const uuidPk = () =>
  p
    .uuid()
    .primary()
    .defaultRaw('gen_random_uuid()')
    .onCreate(() => randomUUID());

/**
 * A webhook subscription (`/api/webhooks`). `secret` is the signing secret sealed by the tenants
 * package's secret box with the key named by `secretsKeyId`; only the webhooks service opens it.
 * `failingSince` is when its current run of failed attempts began (null after a success): the
 * subscription is disabled once that run lasts too long.
 */
export const WebhookSubscriptionRow = defineEntity({
  name: 'WebhookSubscriptionRow',
  tableName: 'pricebook_webhook_subscriptions',
  indexes: [
    { name: 'pricebook_webhook_subscriptions_tenant_idx', properties: ['tenantId', 'createdAt', 'id'] },
  ],
  properties: {
    id: uuidPk(),
    tenantId: p.bigint('string'),
    url: p.text(),
    eventTypes: p.array<string>().columnType('text[]'),
    /** Null: every entity type. */
    entityTypes: p.array<string>().columnType('text[]').nullable(),
    description: p.text().nullable(),
    secret: p.text(),
    secretsKeyId: p.text(),
    status: p.enum([...webhookStatuses]).default('active'),
    disabledReason: p.text().nullable(),
    disabledAt: p.datetime().nullable(),
    failingSince: p.datetime().nullable(),
    consecutiveFailures: p.integer().default(0),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type WebhookSubscriptionRow = InferEntity<typeof WebhookSubscriptionRow>;

/**
 * One public event to deliver to one subscription, with the body it is sent with (so a replay
 * needs no stream) and how its last attempt went. Unique per (subscription, event): an event
 * delivered twice by NATS makes no second delivery.
 */
export const WebhookDeliveryRow = defineEntity({
  name: 'WebhookDeliveryRow',
  tableName: 'pricebook_webhook_deliveries',
  uniques: [{ name: 'pricebook_webhook_deliveries_event_key', properties: ['subscriptionId', 'eventId'] }],
  indexes: [
    {
      // The dispatcher's claim: due pending deliveries, oldest due first.
      name: 'pricebook_webhook_deliveries_due_idx',
      expression: `create index "pricebook_webhook_deliveries_due_idx" on "pricebook_webhook_deliveries" ("next_attempt_at") where "status" = 'pending'`,
    },
    // The delivery log of one subscription, newest first; and a range replay by event time.
    { name: 'pricebook_webhook_deliveries_log_idx', properties: ['subscriptionId', 'createdAt', 'id'] },
    { name: 'pricebook_webhook_deliveries_occurred_idx', properties: ['subscriptionId', 'occurredAt'] },
  ],
  properties: {
    id: uuidPk(),
    subscriptionId: p.uuid(),
    tenantId: p.bigint('string'),
    eventId: p.text(),
    eventType: p.text(),
    entityType: p.text().nullable(),
    occurredAt: p.datetime(),
    payload: p.json<Record<string, unknown>>(),
    status: p.enum([...webhookDeliveryStatuses]).default('pending'),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime().nullable(),
    lastAttemptAt: p.datetime().nullable(),
    lastStatusCode: p.integer().nullable(),
    lastError: p.text().nullable(),
    lastResponseMs: p.integer().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    deliveredAt: p.datetime().nullable(),
  },
});
export type WebhookDeliveryRow = InferEntity<typeof WebhookDeliveryRow>;

/**
 * One attempt to deliver one delivery: when, what the receiver answered (status, a trimmed
 * excerpt of its body), how long it took, why it failed, and the `Retry-After` it honoured.
 * Written in the transaction that records the attempt's outcome on its delivery, and deleted with
 * its delivery (retention, subscription delete, tenant purge). No request header is kept, so no
 * signature or secret ever lands here.
 */
export const WebhookAttemptRow = defineEntity({
  name: 'WebhookAttemptRow',
  tableName: 'pricebook_webhook_attempts',
  indexes: [
    // A delivery's attempts, newest first, and their deletion with it.
    { name: 'pricebook_webhook_attempts_delivery_idx', properties: ['deliveryId', 'attemptedAt', 'id'] },
  ],
  properties: {
    id: uuidPk(),
    deliveryId: p.uuid(),
    subscriptionId: p.uuid(),
    tenantId: p.bigint('string'),
    /** The delivery's attempt count after this attempt (a replay starts it over). */
    attempt: p.integer(),
    attemptedAt: p.datetime(),
    outcome: p.enum([...webhookAttemptOutcomes]),
    statusCode: p.integer().nullable(),
    durationMs: p.integer(),
    error: p.text().nullable(),
    /** At most 1 KB of the response body, for reading; never the whole of it. */
    responseExcerpt: p.text().nullable(),
    /** The `Retry-After` this attempt honoured (capped), when the receiver gave one. */
    retryAfterMs: p.integer().nullable(),
    nextAttemptAt: p.datetime().nullable(),
  },
});
export type WebhookAttemptRow = InferEntity<typeof WebhookAttemptRow>;
