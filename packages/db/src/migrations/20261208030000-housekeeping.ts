import { Migration } from '@mikro-orm/migrations';

/**
 * Housekeeping deletes published outbox rows past their retention, oldest first, a bounded batch
 * at a time. Without an index each batch would scan the whole outbox. The index holds published
 * rows only; marking a row published already rewrote its index entries (the unpublished index's
 * predicate names `published_at`), so the relay pays one index entry more per row.
 *
 * A plain `create index` holds writes to the outbox while it builds (seconds at a few million
 * rows), as the migration runs in one transaction with the rest.
 */
export class Migration20261208030000_housekeeping extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "pricebook_outbox_published_idx" on "pricebook_outbox" ("tenant_id", "published_at") where "published_at" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "pricebook_outbox_published_idx";`);
  }
}
