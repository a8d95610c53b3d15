import { Migration } from '@mikro-orm/migrations';

/**
 * Discarded dead letters: who dropped one on purpose, when and why. The row stays (listed with
 * `?status=discarded`) until retention purges it like any other dead letter.
 */
export class Migration20261212010000_dead_letter_discard extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "pricebook_dead_letters" add column "discarded_at" timestamptz null, add column "discarded_by" text null, add column "discard_reason" text null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "pricebook_dead_letters" drop column "discarded_at", drop column "discarded_by", drop column "discard_reason";`,
    );
  }
}
