import { Migration } from '@mikro-orm/migrations';

export class Migration20261125114933_initial extends Migration {
  override async up(): Promise<void> {
    // The embedding columns need pgvector; gen_random_uuid() is built into PostgreSQL 13+.
    this.addSql(`create extension if not exists vector;`);
    this.addSql(
      `create table "pricebook_changes" ("id" uuid not null default gen_random_uuid(), "seq" bigserial, "tenant_id" bigint not null, "entity_type" text check ("entity_type" in ('categories', 'materials', 'services', 'equipment')) not null, "record_id" uuid not null, "st_id" bigint null, "operation" text check ("operation" in ('create', 'update', 'delete', 'restore')) not null, "origin" text check ("origin" in ('st', 'local', 'inbound', 'resolution', 'merge')) not null, "before" jsonb null, "after" jsonb null, "changed_fields" text[] not null default '{}', "sync_log_id" uuid null, "actor" text null, "created_at" timestamptz not null default now(), constraint "pricebook_changes_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "pricebook_changes_record_idx" on "pricebook_changes" ("tenant_id", "entity_type", "record_id", "seq");`,
    );
    this.addSql(`create index "pricebook_changes_sync_log_idx" on "pricebook_changes" ("sync_log_id");`);
    this.addSql(
      `create index "pricebook_changes_tenant_seq_idx" on "pricebook_changes" ("tenant_id", "seq");`,
    );

    this.addSql(
      `create table "pricebook_dead_letters" ("id" uuid not null default gen_random_uuid(), "tenant_id" bigint null, "stream" text not null, "consumer" text not null, "subject" text not null, "stream_seq" bigint not null, "delivery_count" int not null, "payload" text not null, "reason" text not null, "created_at" timestamptz not null default now(), constraint "pricebook_dead_letters_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "pricebook_dead_letters_created_idx" on "pricebook_dead_letters" ("created_at");`,
    );
    this.addSql(
      `alter table "pricebook_dead_letters" add constraint "pricebook_dead_letters_delivery_unique" unique ("stream", "consumer", "stream_seq");`,
    );

    this.addSql(
      `create table "pricebook_outbox" ("id" uuid not null default gen_random_uuid(), "seq" bigserial, "tenant_id" bigint not null, "subject" text not null, "event_type" text not null, "payload" jsonb not null, "correlation_id" uuid null, "causation_id" text null, "created_at" timestamptz not null default now(), "published_at" timestamptz null, constraint "pricebook_outbox_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "pricebook_outbox_unpublished_idx" on "pricebook_outbox" ("seq") where "published_at" is null;`,
    );

    this.addSql(
      `create table "pricebook_categories" ("id" uuid not null default gen_random_uuid(), "tenant_id" bigint not null, "st_id" bigint null, "data" jsonb not null default '{}', "base" jsonb null, "content_hash" text null, "st_modified_on" timestamptz null, "local_modified_at" timestamptz null, "last_synced_at" timestamptz null, "sync_status" text check ("sync_status" in ('synced', 'pending_sync', 'conflict')) not null default 'synced', "has_conflict" boolean not null default false, "deleted_at" timestamptz null, "embedding" vector(1536) null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" text null, "active" boolean null, "description" text null, "parent_id" bigint null, "position" int null, "category_type" text null, constraint "pricebook_categories_pkey" primary key ("id"), constraint pricebook_categories_data_is_object check (jsonb_typeof("data") = 'object'));`,
    );
    this.addSql(
      `create index "pricebook_categories_tenant_pending_idx" on "pricebook_categories" ("tenant_id", "sync_status") where "sync_status" <> 'synced';`,
    );
    this.addSql(
      `create index "pricebook_categories_tenant_st_modified_idx" on "pricebook_categories" ("tenant_id", "st_modified_on");`,
    );
    this.addSql(
      `create index "pricebook_categories_tenant_name_idx" on "pricebook_categories" ("tenant_id", "name");`,
    );
    this.addSql(
      `alter table "pricebook_categories" add constraint "pricebook_categories_tenant_st_id_unique" unique ("tenant_id", "st_id");`,
    );

    this.addSql(
      `create table "pricebook_equipment" ("id" uuid not null default gen_random_uuid(), "tenant_id" bigint not null, "st_id" bigint null, "data" jsonb not null default '{}', "base" jsonb null, "content_hash" text null, "st_modified_on" timestamptz null, "local_modified_at" timestamptz null, "last_synced_at" timestamptz null, "sync_status" text check ("sync_status" in ('synced', 'pending_sync', 'conflict')) not null default 'synced', "has_conflict" boolean not null default false, "deleted_at" timestamptz null, "embedding" vector(1536) null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "code" text null, "display_name" text null, "description" text null, "price" numeric(14,4) null, "member_price" numeric(14,4) null, "add_on_price" numeric(14,4) null, "add_on_member_price" numeric(14,4) null, "cost" numeric(14,4) null, "active" boolean null, "category_ids" bigint[] null, "manufacturer" text null, "model" text null, constraint "pricebook_equipment_pkey" primary key ("id"), constraint pricebook_equipment_data_is_object check (jsonb_typeof("data") = 'object'));`,
    );
    this.addSql(
      `create index "pricebook_equipment_tenant_pending_idx" on "pricebook_equipment" ("tenant_id", "sync_status") where "sync_status" <> 'synced';`,
    );
    this.addSql(
      `create index "pricebook_equipment_tenant_st_modified_idx" on "pricebook_equipment" ("tenant_id", "st_modified_on");`,
    );
    this.addSql(
      `create index "pricebook_equipment_tenant_code_idx" on "pricebook_equipment" ("tenant_id", "code");`,
    );
    this.addSql(
      `alter table "pricebook_equipment" add constraint "pricebook_equipment_tenant_st_id_unique" unique ("tenant_id", "st_id");`,
    );

    this.addSql(
      `create table "pricebook_materials" ("id" uuid not null default gen_random_uuid(), "tenant_id" bigint not null, "st_id" bigint null, "data" jsonb not null default '{}', "base" jsonb null, "content_hash" text null, "st_modified_on" timestamptz null, "local_modified_at" timestamptz null, "last_synced_at" timestamptz null, "sync_status" text check ("sync_status" in ('synced', 'pending_sync', 'conflict')) not null default 'synced', "has_conflict" boolean not null default false, "deleted_at" timestamptz null, "embedding" vector(1536) null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "code" text null, "display_name" text null, "description" text null, "price" numeric(14,4) null, "member_price" numeric(14,4) null, "add_on_price" numeric(14,4) null, "add_on_member_price" numeric(14,4) null, "cost" numeric(14,4) null, "active" boolean null, "category_ids" bigint[] null, "hours" numeric(14,4) null, "unit_of_measure" text null, "is_inventory" boolean null, "taxable" boolean null, "primary_vendor_id" bigint null, constraint "pricebook_materials_pkey" primary key ("id"), constraint pricebook_materials_data_is_object check (jsonb_typeof("data") = 'object'));`,
    );
    this.addSql(
      `create index "pricebook_materials_tenant_pending_idx" on "pricebook_materials" ("tenant_id", "sync_status") where "sync_status" <> 'synced';`,
    );
    this.addSql(
      `create index "pricebook_materials_tenant_st_modified_idx" on "pricebook_materials" ("tenant_id", "st_modified_on");`,
    );
    this.addSql(
      `create index "pricebook_materials_tenant_code_idx" on "pricebook_materials" ("tenant_id", "code");`,
    );
    this.addSql(
      `alter table "pricebook_materials" add constraint "pricebook_materials_tenant_st_id_unique" unique ("tenant_id", "st_id");`,
    );

    this.addSql(
      `create table "pricebook_services" ("id" uuid not null default gen_random_uuid(), "tenant_id" bigint not null, "st_id" bigint null, "data" jsonb not null default '{}', "base" jsonb null, "content_hash" text null, "st_modified_on" timestamptz null, "local_modified_at" timestamptz null, "last_synced_at" timestamptz null, "sync_status" text check ("sync_status" in ('synced', 'pending_sync', 'conflict')) not null default 'synced', "has_conflict" boolean not null default false, "deleted_at" timestamptz null, "embedding" vector(1536) null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "code" text null, "display_name" text null, "description" text null, "price" numeric(14,4) null, "member_price" numeric(14,4) null, "add_on_price" numeric(14,4) null, "add_on_member_price" numeric(14,4) null, "cost" numeric(14,4) null, "active" boolean null, "category_ids" bigint[] null, "hours" numeric(14,4) null, "taxable" boolean null, "is_labor" boolean null, constraint "pricebook_services_pkey" primary key ("id"), constraint pricebook_services_data_is_object check (jsonb_typeof("data") = 'object'));`,
    );
    this.addSql(
      `create index "pricebook_services_tenant_pending_idx" on "pricebook_services" ("tenant_id", "sync_status") where "sync_status" <> 'synced';`,
    );
    this.addSql(
      `create index "pricebook_services_tenant_st_modified_idx" on "pricebook_services" ("tenant_id", "st_modified_on");`,
    );
    this.addSql(
      `create index "pricebook_services_tenant_code_idx" on "pricebook_services" ("tenant_id", "code");`,
    );
    this.addSql(
      `alter table "pricebook_services" add constraint "pricebook_services_tenant_st_id_unique" unique ("tenant_id", "st_id");`,
    );

    this.addSql(
      `create table "pricebook_quarantine" ("id" uuid not null default gen_random_uuid(), "tenant_id" bigint not null, "sync_log_id" uuid null, "entity_type" text check ("entity_type" in ('categories', 'materials', 'services', 'equipment')) not null, "st_id" bigint null, "raw" jsonb not null, "reason" text not null, "created_at" timestamptz not null default now(), constraint "pricebook_quarantine_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "pricebook_quarantine_tenant_created_idx" on "pricebook_quarantine" ("tenant_id", "created_at");`,
    );

    this.addSql(
      `create table "pricebook_sync_conflicts" ("id" uuid not null default gen_random_uuid(), "tenant_id" bigint not null, "entity_type" text check ("entity_type" in ('categories', 'materials', 'services', 'equipment')) not null, "record_id" uuid not null, "st_id" bigint null, "conflict_type" text check ("conflict_type" in ('both_modified', 'local_deleted_st_modified', 'st_deleted_local_modified')) not null, "st_version" jsonb null, "local_version" jsonb null, "base_version" jsonb null, "field_diff" jsonb null, "status" text check ("status" in ('unresolved', 'resolved', 'superseded')) not null default 'unresolved', "resolution" text check ("resolution" in ('keep_st', 'keep_local', 'merge')) null, "resolved_data" jsonb null, "resolved_by" text null, "resolved_at" timestamptz null, "sync_log_id" uuid null, "created_at" timestamptz not null default now(), constraint "pricebook_sync_conflicts_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create unique index "pricebook_sync_conflicts_one_unresolved" on "pricebook_sync_conflicts" ("tenant_id", "entity_type", "record_id") where "status" = 'unresolved';`,
    );
    this.addSql(
      `create index "pricebook_sync_conflicts_tenant_status_idx" on "pricebook_sync_conflicts" ("tenant_id", "status", "created_at");`,
    );

    this.addSql(
      `create table "pricebook_sync_log" ("id" uuid not null default gen_random_uuid(), "tenant_id" bigint not null, "sync_type" text check ("sync_type" in ('full', 'incremental', 'push', 'resolve')) not null, "direction" text check ("direction" in ('from_st', 'to_st', 'bidirectional')) not null, "options" jsonb not null default '{}', "dry_run" boolean not null default false, "status" text check ("status" in ('queued', 'running', 'completed', 'failed', 'cancelled')) not null default 'queued', "started_at" timestamptz null, "completed_at" timestamptz null, "duration_ms" int null, "records_fetched" int not null default 0, "records_created" int not null default 0, "records_updated" int not null default 0, "records_deleted" int not null default 0, "records_skipped" int not null default 0, "conflicts" int not null default 0, "errors" int not null default 0, "entity_stats" jsonb not null default '{}', "error_message" text null, "triggered_by" text null, "created_at" timestamptz not null default now(), constraint "pricebook_sync_log_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "pricebook_sync_log_tenant_created_idx" on "pricebook_sync_log" ("tenant_id", "created_at");`,
    );

    this.addSql(
      `create table "pricebook_sync_runs" ("tenant_id" bigint not null, "entity_type" text check ("entity_type" in ('categories', 'materials', 'services', 'equipment')) not null, "sync_log_id" uuid not null, "started_at" timestamptz not null default now(), "heartbeat_at" timestamptz not null default now(), constraint "pricebook_sync_runs_pkey" primary key ("tenant_id", "entity_type"));`,
    );

    this.addSql(
      `create table "pricebook_sync_state" ("tenant_id" bigint not null, "entity_type" text check ("entity_type" in ('categories', 'materials', 'services', 'equipment')) not null, "export_token" text null, "cursor_modified_on" text null, "cursor_st_id" bigint null, "last_full_sync_at" timestamptz null, "last_incremental_sync_at" timestamptz null, "updated_at" timestamptz not null default now(), constraint "pricebook_sync_state_pkey" primary key ("tenant_id", "entity_type"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "pricebook_changes" cascade;`);
    this.addSql(`drop table if exists "pricebook_dead_letters" cascade;`);
    this.addSql(`drop table if exists "pricebook_outbox" cascade;`);
    this.addSql(`drop table if exists "pricebook_categories" cascade;`);
    this.addSql(`drop table if exists "pricebook_equipment" cascade;`);
    this.addSql(`drop table if exists "pricebook_materials" cascade;`);
    this.addSql(`drop table if exists "pricebook_services" cascade;`);
    this.addSql(`drop table if exists "pricebook_quarantine" cascade;`);
    this.addSql(`drop table if exists "pricebook_sync_conflicts" cascade;`);
    this.addSql(`drop table if exists "pricebook_sync_log" cascade;`);
    this.addSql(`drop table if exists "pricebook_sync_runs" cascade;`);
    this.addSql(`drop table if exists "pricebook_sync_state" cascade;`);
  }
}
