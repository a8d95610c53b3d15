import { Migration } from '@mikro-orm/migrations';

/**
 * The assistant's proposals (`pricebook_assistant_proposals`), and the change-set kind `assistant`
 * (an operator's confirmation of a proposal).
 */
export class Migration20261211010000_assistant extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "pricebook_assistant_proposals" ("id" uuid not null default gen_random_uuid(), "tenant_id" bigint not null, "entity" text check ("entity" in ('categories', 'materials', 'services', 'equipment')) not null, "summary" text not null, "status" text check ("status" in ('proposed', 'confirmed', 'rejected', 'expired')) not null default 'proposed', "created_by" text not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "decided_by" text null, "decided_at" timestamptz null, "changeset_id" uuid null, "items" jsonb not null, "plan" jsonb not null, "tool_calls" jsonb not null, constraint "pricebook_assistant_proposals_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "pricebook_assistant_proposals_tenant_idx" on "pricebook_assistant_proposals" ("tenant_id", "created_at", "id");`,
    );

    this.addSql(
      `alter table "pricebook_changesets" drop constraint if exists "pricebook_changesets_kind_check";`,
    );

    this.addSql(
      `alter table "pricebook_changesets" add constraint "pricebook_changesets_kind_check" check("kind" in ('sync', 'bulk_edit', 'edit', 'inbound', 'resolution', 'revert', 'assistant'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "pricebook_assistant_proposals" cascade;`);

    this.addSql(
      `alter table "pricebook_changesets" drop constraint if exists "pricebook_changesets_kind_check";`,
    );

    this.addSql(
      `alter table "pricebook_changesets" add constraint "pricebook_changesets_kind_check" check("kind" in ('sync', 'bulk_edit', 'edit', 'inbound', 'resolution', 'revert'));`,
    );
  }
}
