import { Migration } from '@mikro-orm/migrations';
import { captureFunctionsV1, tableTriggersV1 } from './sql/capture-trigger-v1';
import { fieldsV1, tablesV1 } from './sql/fields-v1';
import { helperFunctionsV1, rowTriggerFunctionName, rowTriggerFunctionSql } from './sql/row-trigger-v1';

/**
 * Change capture: row triggers that keep typed columns and `data` in step and mark local edits,
 * statement triggers that write the audit and outbox rows. See docs/database.md.
 */
export class Migration20261125115000_triggers extends Migration {
  override async up(): Promise<void> {
    for (const sql of [...helperFunctionsV1, ...captureFunctionsV1]) this.addSql(sql);
    for (const [entity, table] of Object.entries(tablesV1)) {
      this.addSql(rowTriggerFunctionSql(table, fieldsV1[entity] ?? []));
      for (const sql of tableTriggersV1(table, entity, rowTriggerFunctionName(table))) this.addSql(sql);
    }
  }

  override async down(): Promise<void> {
    for (const table of Object.values(tablesV1)) {
      for (const suffix of [
        'before_write',
        'capture_insert',
        'capture_update',
        'capture_delete',
        'refuse_truncate',
      ]) {
        this.addSql(`drop trigger if exists ${table}_${suffix} on ${table}`);
      }
      this.addSql(`drop function if exists ${rowTriggerFunctionName(table)}()`);
    }
    for (const fn of [
      'pricebook_capture_insert()',
      'pricebook_capture_update()',
      'pricebook_capture_delete()',
      'pricebook_refuse_truncate()',
      'pricebook_ids_from_jsonb(jsonb)',
      'pricebook_ids_from_objects(jsonb)',
      'pricebook_ids_to_objects(bigint[], jsonb)',
    ]) {
      this.addSql(`drop function if exists ${fn}`);
    }
  }
}
