import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for reading the audit trail (`GET /api/changes`), newest first by `(created_at, seq)`:
 * the whole trail of a tenant, one sync's changes and one actor's, each an index range read
 * backwards, so a page costs the same at a million rows as at a hundred. They replace
 * `(tenant_id, seq)` and `(sync_log_id)`, which nothing read, so a change still updates as many
 * audit indexes as before plus one. One row's history keeps `pricebook_changes_record_idx`.
 *
 * A plain `create index` holds writes to the table while it builds (seconds at a million rows),
 * as the migration runs in one transaction with the rest.
 */
export class Migration20261208020000_audit_reads extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "pricebook_changes_tenant_time_idx" on "pricebook_changes" ("tenant_id", "created_at", "seq");`,
    );
    this.addSql(
      `create index "pricebook_changes_sync_time_idx" on "pricebook_changes" ("sync_log_id", "created_at", "seq");`,
    );
    this.addSql(
      `create index "pricebook_changes_actor_time_idx" on "pricebook_changes" ("tenant_id", "actor", "created_at", "seq");`,
    );
    this.addSql(`drop index "pricebook_changes_sync_log_idx";`);
    this.addSql(`drop index "pricebook_changes_tenant_seq_idx";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index "pricebook_changes_sync_log_idx" on "pricebook_changes" ("sync_log_id");`);
    this.addSql(
      `create index "pricebook_changes_tenant_seq_idx" on "pricebook_changes" ("tenant_id", "seq");`,
    );
    this.addSql(`drop index "pricebook_changes_tenant_time_idx";`);
    this.addSql(`drop index "pricebook_changes_sync_time_idx";`);
    this.addSql(`drop index "pricebook_changes_actor_time_idx";`);
  }
}
