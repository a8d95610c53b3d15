import { Migration } from '@mikro-orm/migrations';

/**
 * Webhook delivery attempts: one row per attempt (when, status, duration, trimmed error and body
 * excerpt, the `Retry-After` honoured), bound to its tenant like its delivery and read by delivery,
 * newest first. No foreign key, like every other table here: it is written in the transaction
 * that records the attempt on its delivery and deleted with it.
 */
export class Migration20261212020000_webhook_attempts extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "pricebook_webhook_attempts" ("id" uuid not null default gen_random_uuid(), "delivery_id" uuid not null, "subscription_id" uuid not null, "tenant_id" bigint not null, "attempt" int not null, "attempted_at" timestamptz not null, "outcome" text check ("outcome" in ('succeeded', 'gone', 'failed', 'refused_url')) not null, "status_code" int null, "duration_ms" int not null, "error" text null, "response_excerpt" text null, "retry_after_ms" int null, "next_attempt_at" timestamptz null, constraint "pricebook_webhook_attempts_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "pricebook_webhook_attempts_delivery_idx" on "pricebook_webhook_attempts" ("delivery_id", "attempted_at", "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "pricebook_webhook_attempts" cascade;`);
  }
}
