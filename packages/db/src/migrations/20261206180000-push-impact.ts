import { Migration } from '@mikro-orm/migrations';

/** The push brake's measure of a push (`PushImpact` in the contracts), kept on its sync log. */
export class Migration20261206180000_push_impact extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "pricebook_sync_log" add column "push_impact" jsonb null;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table "pricebook_sync_log" drop column "push_impact";');
  }
}
