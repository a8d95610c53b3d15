import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks: subscriptions (their signing secrets sealed like tenant credentials) and one delivery
 * per event and subscription, carrying the body it is sent with and its last attempt. Deleting a
 * subscription deletes its delivery log in the same transaction.
 */
export class Migration20261210010000_webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "pricebook_webhook_deliveries" ("id" uuid not null default gen_random_uuid(), "subscription_id" uuid not null, "tenant_id" bigint not null, "event_id" text not null, "event_type" text not null, "entity_type" text null, "occurred_at" timestamptz not null, "payload" jsonb not null, "status" text check ("status" in ('pending', 'succeeded', 'failed')) not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz null, "last_attempt_at" timestamptz null, "last_status_code" int null, "last_error" text null, "last_response_ms" int null, "created_at" timestamptz not null default now(), "delivered_at" timestamptz null, constraint "pricebook_webhook_deliveries_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "pricebook_webhook_deliveries_due_idx" on "pricebook_webhook_deliveries" ("next_attempt_at") where "status" = 'pending';`,
    );
    this.addSql(
      `create index "pricebook_webhook_deliveries_log_idx" on "pricebook_webhook_deliveries" ("subscription_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "pricebook_webhook_deliveries_occurred_idx" on "pricebook_webhook_deliveries" ("subscription_id", "occurred_at");`,
    );
    this.addSql(
      `alter table "pricebook_webhook_deliveries" add constraint "pricebook_webhook_deliveries_event_key" unique ("subscription_id", "event_id");`,
    );

    this.addSql(
      `create table "pricebook_webhook_subscriptions" ("id" uuid not null default gen_random_uuid(), "tenant_id" bigint not null, "url" text not null, "event_types" text[] not null, "entity_types" text[] null, "description" text null, "secret" text not null, "secrets_key_id" text not null, "status" text check ("status" in ('active', 'disabled')) not null default 'active', "disabled_reason" text null, "disabled_at" timestamptz null, "failing_since" timestamptz null, "consecutive_failures" int not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "pricebook_webhook_subscriptions_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "pricebook_webhook_subscriptions_tenant_idx" on "pricebook_webhook_subscriptions" ("tenant_id", "created_at", "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "pricebook_webhook_deliveries" cascade;`);

    this.addSql(`drop table if exists "pricebook_webhook_subscriptions" cascade;`);
  }
}
