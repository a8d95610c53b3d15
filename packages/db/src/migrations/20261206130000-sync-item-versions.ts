import { Migration } from '@mikro-orm/migrations';

/**
 * The ledger remembers which ST versions of each record a sync has accounted for, so an entity is
 * finished (and its export token saved) only once the newest version of every record is in.
 */
export class Migration20261206130000_sync_item_versions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "pricebook_sync_items" add column "versions" text[] not null default '{}';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "pricebook_sync_items" drop column "versions";`);
  }
}
