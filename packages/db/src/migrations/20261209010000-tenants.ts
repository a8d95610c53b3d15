import { Migration } from '@mikro-orm/migrations';

/**
 * Tenants as data: the ServiceTitan tenants this deployment serves besides the environment's
 * own. The client secret and the application key are ciphertext (see the tenants package);
 * a row is never deleted by the engine until its tenant's data is purged.
 */
export class Migration20261209010000_tenants extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "pricebook_tenants" ("tenant_id" bigint not null, "name" text not null, "status" text check ("status" in ('active', 'paused', 'removed')) not null default 'active', "client_id" text not null, "client_secret" text not null, "app_key" text not null, "secrets_key_id" text not null, "application_guid" uuid null, "api_base_url" text not null, "auth_url" text not null, "full_cron" text null, "incremental_cron" text null, "timezone" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "removed_at" timestamptz null, constraint "pricebook_tenants_pkey" primary key ("tenant_id"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "pricebook_tenants";`);
  }
}
