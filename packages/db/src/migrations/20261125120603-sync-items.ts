import { Migration } from '@mikro-orm/migrations';

export class Migration20261125120603_sync_items extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "pricebook_sync_items" ("sync_log_id" uuid not null, "entity_type" text check ("entity_type" in ('categories', 'materials', 'services', 'equipment')) not null, "item_key" text not null, "action" text check ("action" in ('create', 'update', 'skip', 'delete', 'conflict', 'quarantine', 'merge')) not null, "record_id" uuid null, "st_id" bigint null, "detail" jsonb null, "created_at" timestamptz not null default now(), constraint "pricebook_sync_items_pkey" primary key ("sync_log_id", "entity_type", "item_key"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "pricebook_sync_items" cascade;`);
  }
}
