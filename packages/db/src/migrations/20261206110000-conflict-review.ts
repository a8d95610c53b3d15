import { Migration } from '@mikro-orm/migrations';

/**
 * Who looked at a conflict and left it for later (resolve strategy `manual`), when, and their
 * note. Written by the API directly: a note on a conflict is not a pricebook edit.
 */
export class Migration20261206110000_conflict_review extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "pricebook_sync_conflicts" add column "reviewed_by" text null, add column "reviewed_at" timestamptz null, add column "review_note" text null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "pricebook_sync_conflicts" drop column "reviewed_by", drop column "reviewed_at", drop column "review_note";`,
    );
  }
}
