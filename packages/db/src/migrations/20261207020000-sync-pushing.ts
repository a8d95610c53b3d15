import { Migration } from '@mikro-orm/migrations';

/** A sync's push part gets a status of its own: `pushing`, between `running` and its end. */
export class Migration20261207020000_sync_pushing extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'alter table "pricebook_sync_log" drop constraint if exists "pricebook_sync_log_status_check";',
    );
    this.addSql(
      `alter table "pricebook_sync_log" add constraint "pricebook_sync_log_status_check" check ("status" in ('queued', 'running', 'pushing', 'completed', 'failed', 'cancelled'));`,
    );
  }

  override async down(): Promise<void> {
    // A sync caught in its push part goes back to what it was called before.
    this.addSql(`update "pricebook_sync_log" set "status" = 'running' where "status" = 'pushing';`);
    this.addSql(
      'alter table "pricebook_sync_log" drop constraint if exists "pricebook_sync_log_status_check";',
    );
    this.addSql(
      `alter table "pricebook_sync_log" add constraint "pricebook_sync_log_status_check" check ("status" in ('queued', 'running', 'completed', 'failed', 'cancelled'));`,
    );
  }
}
