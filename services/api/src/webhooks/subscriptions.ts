import { randomUUID } from 'node:crypto';
import type {
  WebhookAttemptsQuery,
  WebhookCreateRequest,
  WebhookDeliveriesQuery,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEventType,
  WebhookReplayRequest,
  WebhookStatus,
  WebhookSubscription,
  WebhooksQuery,
  WebhookUpdateRequest,
} from '@pricebook/contracts';
import type { EntityManager, Orm } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { SecretBox } from '@pricebook/tenants';
import {
  checkWebhookUrl,
  newWebhookSecret,
  type UrlGuardOptions,
  webhookSecretBinding,
} from '@pricebook/webhooks';
import { createdCursor, iso, keysetPage, pgArray, timestampKey } from '../queries/values';
import { listAttempts } from './attempts';

interface SubscriptionRow {
  id: string;
  tenant_id: string;
  url: string;
  event_types: WebhookEventType[];
  entity_types: WebhookSubscription['entityTypes'];
  description: string | null;
  status: WebhookStatus;
  disabled_reason: string | null;
  disabled_at: string | Date | null;
  created_at: string | Date;
  updated_at: string | Date;
  created_key: string;
}

interface DeliveryRow {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_response_ms: number | null;
  last_attempt_at: string | Date | null;
  next_attempt_at: string | Date | null;
  created_at: string | Date;
  delivered_at: string | Date | null;
  created_key: string;
}

// Never the secret: it leaves the database only for the webhooks service.
const subscriptionColumns = `id, tenant_id::text as tenant_id, url, event_types, entity_types, description, status,
  disabled_reason, disabled_at, created_at, updated_at, ${timestampKey('created_at')} as created_key`;
const deliveryColumns = `id, subscription_id, event_id, event_type, status, attempts, last_status_code, last_error,
  last_response_ms, last_attempt_at, next_attempt_at, created_at, delivered_at, ${timestampKey('created_at')} as created_key`;

function subscriptionOf(r: SubscriptionRow): WebhookSubscription {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    url: r.url,
    eventTypes: r.event_types,
    entityTypes: r.entity_types,
    description: r.description,
    status: r.status,
    disabledReason: r.disabled_reason,
    disabledAt: iso(r.disabled_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

function deliveryOf(r: DeliveryRow): WebhookDelivery {
  return {
    id: r.id,
    subscriptionId: r.subscription_id,
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    lastResponseMs: r.last_response_ms,
    lastAttemptAt: iso(r.last_attempt_at),
    nextAttemptAt: iso(r.next_attempt_at),
    createdAt: iso(r.created_at),
    deliveredAt: iso(r.delivered_at),
  };
}

const textArray = (values: readonly string[] | null) => (values === null ? null : pgArray(values));

export interface WebhookSubscriptionsOptions {
  /** Seals the signing secrets (`TENANT_SECRETS_KEYS`); without it no subscription can be made. */
  box: SecretBox | undefined;
  /** `WEBHOOKS_ALLOW_PRIVATE_URLS`, and (tests) the resolver. */
  guard: UrlGuardOptions;
}

/**
 * A tenant's webhook subscriptions and their delivery logs, as the API reads and changes them.
 * The signing secret is made and sealed here, returned once by `create`, and never read back.
 *
 * @example
 * const { webhook, secret } = await subscriptions.create('1001', { url, eventTypes: ['conflict.opened'], entityTypes: null });
 */
export class WebhookSubscriptions {
  readonly #orm: Orm;
  readonly #options: WebhookSubscriptionsOptions;

  constructor(orm: Orm, options: WebhookSubscriptionsOptions) {
    this.#orm = orm;
    this.#options = options;
  }

  #em(): EntityManager {
    return this.#orm.em.fork();
  }

  /**
   * One page, newest first by `(created_at, id)`, of a table's rows that match `owner` (a column
   * and its value) and the query's `status` and `cursor`.
   */
  async #page<R extends { created_key: string; id: string }>(
    from: { table: string; columns: string; owner: string; ownerValue: string },
    query: { status?: string | undefined; cursor?: string | undefined; limit: number },
  ): Promise<{ items: R[]; nextCursor: string | null }> {
    const where = [`${from.owner} = ?`];
    const params: unknown[] = [from.ownerValue];
    if (query.status) {
      where.push('status = ?');
      params.push(query.status);
    }
    if (query.cursor) {
      const past = createdCursor(query.cursor, '<');
      where.push(past.sql);
      params.push(...past.params);
    }
    const rows = await this.#em().execute<R[]>(
      `select ${from.columns} from ${from.table}
        where ${where.join(' and ')} order by created_at desc, id desc limit ?`,
      [...params, query.limit + 1],
    );
    return keysetPage(rows, query.limit, (r) => [r.created_key, r.id]);
  }

  async list(tenantId: string, query: WebhooksQuery) {
    const { items, nextCursor } = await this.#page<SubscriptionRow>(
      {
        table: 'pricebook_webhook_subscriptions',
        columns: subscriptionColumns,
        owner: 'tenant_id',
        ownerValue: tenantId,
      },
      query,
    );
    return { webhooks: items.map(subscriptionOf), nextCursor };
  }

  async get(tenantId: string, id: string): Promise<WebhookSubscription> {
    const [row] = await this.#em().execute<SubscriptionRow[]>(
      `select ${subscriptionColumns} from pricebook_webhook_subscriptions where tenant_id = ? and id = ?`,
      [tenantId, id],
    );
    if (!row) throw new AppError('not_found', `no webhook ${id}`);
    return subscriptionOf(row);
  }

  /** Checks the URL (SSRF guard), makes and seals a secret, stores the subscription. */
  async create(
    tenantId: string,
    input: WebhookCreateRequest,
  ): Promise<{ webhook: WebhookSubscription; secret: string }> {
    const box = this.#options.box;
    if (!box) {
      throw new AppError('conflict', 'webhooks need TENANT_SECRETS_KEYS to seal their signing secrets');
    }
    await checkWebhookUrl(input.url, this.#options.guard);
    const id = randomUUID();
    const secret = newWebhookSecret();
    const [row] = await this.#em().execute<SubscriptionRow[]>(
      `insert into pricebook_webhook_subscriptions
         (id, tenant_id, url, event_types, entity_types, description, secret, secrets_key_id)
       values (?, ?, ?, ?::text[], ?::text[], ?, ?, ?)
       returning ${subscriptionColumns}`,
      [
        id,
        tenantId,
        input.url,
        textArray(input.eventTypes),
        textArray(input.entityTypes),
        input.description ?? null,
        box.seal(secret, webhookSecretBinding(tenantId, id)),
        box.currentKeyId,
      ],
    );
    if (!row) throw new AppError('internal', 'the webhook was not stored');
    return { webhook: subscriptionOf(row), secret };
  }

  async update(tenantId: string, id: string, input: WebhookUpdateRequest): Promise<WebhookSubscription> {
    if (input.url !== undefined) await checkWebhookUrl(input.url, this.#options.guard);
    const sets: string[] = [];
    const params: unknown[] = [];
    if (input.url !== undefined) {
      sets.push('url = ?');
      params.push(input.url);
    }
    if (input.eventTypes !== undefined) {
      sets.push('event_types = ?::text[]');
      params.push(textArray(input.eventTypes));
    }
    if (input.entityTypes !== undefined) {
      sets.push('entity_types = ?::text[]');
      params.push(textArray(input.entityTypes));
    }
    if (input.description !== undefined) {
      sets.push('description = ?');
      params.push(input.description);
    }
    const [row] = await this.#em().execute<SubscriptionRow[]>(
      `update pricebook_webhook_subscriptions set ${sets.join(', ')}, updated_at = now()
        where tenant_id = ? and id = ? returning ${subscriptionColumns}`,
      [...params, tenantId, id],
    );
    if (!row) throw new AppError('not_found', `no webhook ${id}`);
    return subscriptionOf(row);
  }

  /** Deletes the subscription, its delivery log and their attempts together; false when there was none. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    return this.#em().transactional(async (em) => {
      const deleted = await em.execute<{ id: string }[]>(
        `delete from pricebook_webhook_subscriptions where tenant_id = ? and id = ? returning id`,
        [tenantId, id],
      );
      if (deleted.length === 0) return false;
      await em.execute(
        `delete from pricebook_webhook_attempts
          where delivery_id in (select id from pricebook_webhook_deliveries where subscription_id = ?)`,
        [id],
      );
      await em.execute(`delete from pricebook_webhook_deliveries where subscription_id = ?`, [id]);
      return true;
    });
  }

  /**
   * Enables a subscription again: its run of failures starts over and its pending deliveries are
   * due at once. Enabling an active one changes nothing.
   */
  async enable(tenantId: string, id: string): Promise<WebhookSubscription> {
    return this.#em().transactional(async (em) => {
      const [row] = await em.execute<SubscriptionRow[]>(
        `update pricebook_webhook_subscriptions
            set status = 'active', disabled_reason = null, disabled_at = null, failing_since = null,
                consecutive_failures = 0, updated_at = case when status = 'active' then updated_at else now() end
          where tenant_id = ? and id = ? returning ${subscriptionColumns}`,
        [tenantId, id],
      );
      if (!row) throw new AppError('not_found', `no webhook ${id}`);
      await em.execute(
        `update pricebook_webhook_deliveries set next_attempt_at = now()
          where subscription_id = ? and status = 'pending' and next_attempt_at > now()`,
        [id],
      );
      return subscriptionOf(row);
    });
  }

  async deliveries(tenantId: string, id: string, query: WebhookDeliveriesQuery) {
    await this.get(tenantId, id);
    const { items, nextCursor } = await this.#page<DeliveryRow>(
      {
        table: 'pricebook_webhook_deliveries',
        columns: deliveryColumns,
        owner: 'subscription_id',
        ownerValue: id,
      },
      query,
    );
    return { deliveries: items.map(deliveryOf), nextCursor };
  }

  /** One page of a delivery's attempts, newest first; 404 unless the delivery is the tenant's. */
  async attempts(tenantId: string, id: string, deliveryId: string, query: WebhookAttemptsQuery) {
    return listAttempts(this.#em(), tenantId, id, deliveryId, query);
  }

  /** Queues one delivery again, due now, with a fresh schedule (the same event id and body). */
  async replayOne(tenantId: string, id: string, deliveryId: string): Promise<WebhookDelivery> {
    await this.get(tenantId, id);
    const [row] = await this.#em().execute<DeliveryRow[]>(
      `update pricebook_webhook_deliveries
          set status = 'pending', attempts = 0, next_attempt_at = now(), delivered_at = null
        where subscription_id = ? and id = ? returning ${deliveryColumns}`,
      [id, deliveryId],
    );
    if (!row) throw new AppError('not_found', `no delivery ${deliveryId} of webhook ${id}`);
    return deliveryOf(row);
  }

  /** Queues again every delivery of the subscription whose event happened in [since, until). */
  async replayRange(tenantId: string, id: string, range: WebhookReplayRequest): Promise<number> {
    await this.get(tenantId, id);
    const rows = await this.#em().execute<{ id: string }[]>(
      `update pricebook_webhook_deliveries
          set status = 'pending', attempts = 0, next_attempt_at = now(), delivered_at = null
        where subscription_id = ? and occurred_at >= ?::timestamptz and occurred_at < coalesce(?::timestamptz, now())
        returning id`,
      [id, range.since, range.until ?? null],
    );
    return rows.length;
  }
}
