import { Migration } from '@mikro-orm/migrations';
import { captureFunctionsV3 } from './sql/capture-trigger-v3';
import { captureFunctionsV4 } from './sql/capture-trigger-v4';
import { fieldsV1, tablesV1 } from './sql/fields-v1';
import { rowTriggerFunctionSqlV2 } from './sql/row-trigger-v2';
import { rowTriggerFunctionSqlV3 } from './sql/row-trigger-v3';

/**
 * Change-sets: `pricebook_changesets` (one row per sync run, API edit, inbound batch, resolution or
 * revert) and `pricebook_changes.changeset_id`, written by the capture triggers (v4) from the
 * transaction setting `pricebook.changeset_id`; the origin `revert` (row triggers v3 mark it
 * pending like a local edit).
 *
 * Existing audit rows: a sync's rows join the change-set of their sync (id = the sync id, kind
 * `sync`); the rest (local and inbound edits, resolutions) stay outside any change-set, as nothing
 * recorded which of them were made together.
 */
export class Migration20261210010000_changesets extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "pricebook_changesets" ("id" uuid not null, "tenant_id" bigint not null, "kind" text check ("kind" in ('sync', 'bulk_edit', 'edit', 'inbound', 'resolution', 'revert')) not null, "actor" text null, "created_at" timestamptz not null default now(), "reverts_changeset_id" uuid null, "reverted_by_changeset_id" uuid null, constraint "pricebook_changesets_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "pricebook_changesets_tenant_time_idx" on "pricebook_changesets" ("tenant_id", "created_at", "id");`,
    );
    this.addSql(
      `alter table "pricebook_changesets" add constraint "pricebook_changesets_reverts_unique" unique ("reverts_changeset_id");`,
    );
    this.addSql(
      `alter table "pricebook_changes" drop constraint if exists "pricebook_changes_origin_check";`,
    );
    this.addSql(`alter table "pricebook_changes" add column "changeset_id" uuid null;`);
    this.addSql(
      `alter table "pricebook_changes" add constraint "pricebook_changes_origin_check" check("origin" in ('st', 'local', 'inbound', 'resolution', 'merge', 'revert'));`,
    );
    // Resolutions carry their conflict's sync id too; only the sync's own writes join its change-set.
    this.addSql(
      `update "pricebook_changes" set "changeset_id" = "sync_log_id" where "sync_log_id" is not null and "origin" in ('st', 'merge');`,
    );
    this.addSql(`insert into "pricebook_changesets" ("id", "tenant_id", "kind", "actor", "created_at")
      select "changeset_id", min("tenant_id"), 'sync', min("actor"), min("created_at")
      from "pricebook_changes" where "changeset_id" is not null group by "changeset_id";`);
    this.addSql(
      `create index "pricebook_changes_changeset_idx" on "pricebook_changes" ("changeset_id", "seq");`,
    );
    for (const sql of captureFunctionsV4) this.addSql(sql);
    for (const [entity, table] of Object.entries(tablesV1)) {
      this.addSql(rowTriggerFunctionSqlV3(table, fieldsV1[entity] ?? []));
    }
  }

  override async down(): Promise<void> {
    for (const sql of captureFunctionsV3) this.addSql(sql);
    for (const [entity, table] of Object.entries(tablesV1)) {
      this.addSql(rowTriggerFunctionSqlV2(table, fieldsV1[entity] ?? []));
    }
    this.addSql(`drop table if exists "pricebook_changesets" cascade;`);
    this.addSql(`drop index "pricebook_changes_changeset_idx";`);
    this.addSql(`alter table "pricebook_changes" drop column "changeset_id";`);
    // Reverts were local edits; a schema without the origin keeps them as such.
    this.addSql(
      `alter table "pricebook_changes" drop constraint if exists "pricebook_changes_origin_check";`,
    );
    this.addSql(`update "pricebook_changes" set "origin" = 'local' where "origin" = 'revert';`);
    this.addSql(
      `alter table "pricebook_changes" add constraint "pricebook_changes_origin_check" check("origin" in ('st', 'local', 'inbound', 'resolution', 'merge'));`,
    );
  }
}
