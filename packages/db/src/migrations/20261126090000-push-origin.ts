import { Migration } from '@mikro-orm/migrations';
import { captureFunctionsV1 } from './sql/capture-trigger-v1';
import { captureFunctionsV2 } from './sql/capture-trigger-v2';
import { fieldsV1, tablesV1 } from './sql/fields-v1';
import { rowTriggerFunctionSql } from './sql/row-trigger-v1';
import { rowTriggerFunctionSqlV2 } from './sql/row-trigger-v2';

/**
 * The write origin `push`: the engine's bookkeeping after its own write reached ServiceTitan.
 * Row triggers accept it as an engine write (the row is not marked pending); capture triggers
 * write no audit row and no event for it, because the local edit being pushed already has both.
 * Only the trigger functions change (`create or replace`); the triggers keep pointing at them.
 */
export class Migration20261126090000_push_origin extends Migration {
  override async up(): Promise<void> {
    for (const sql of captureFunctionsV2) this.addSql(sql);
    for (const [entity, table] of Object.entries(tablesV1)) {
      this.addSql(rowTriggerFunctionSqlV2(table, fieldsV1[entity] ?? []));
    }
  }

  override async down(): Promise<void> {
    for (const sql of captureFunctionsV1) this.addSql(sql);
    for (const [entity, table] of Object.entries(tablesV1)) {
      this.addSql(rowTriggerFunctionSql(table, fieldsV1[entity] ?? []));
    }
  }
}
