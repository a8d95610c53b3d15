import { Migration } from '@mikro-orm/migrations';

/**
 * Drift reports: each check of a tenant compares ServiceTitan with the local copy and stores its
 * counts and the drifted items here (read only on the pricebook; nothing else writes this table).
 */
export class Migration20261210010000_drift_reports extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "pricebook_drift_reports" ("id" uuid not null default gen_random_uuid(), "tenant_id" bigint not null, "status" text check ("status" in ('queued', 'running', 'in_sync', 'drifted', 'failed')) not null default 'queued', "trigger" text check ("trigger" in ('schedule', 'operator')) not null, "requested_by" text null, "created_at" timestamptz not null default now(), "started_at" timestamptz null, "checked_at" timestamptz null, "drifted_count" int not null default 0, "truncated" boolean not null default false, "st_requests" int not null default 0, "entities" jsonb not null default '[]', "items" jsonb not null default '[]', "error" text null, constraint "pricebook_drift_reports_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "pricebook_drift_reports_tenant_idx" on "pricebook_drift_reports" ("tenant_id", "created_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "pricebook_drift_reports" cascade;`);
  }
}
