import { Migration } from '@mikro-orm/migrations';
import { captureFunctionsV2 } from './sql/capture-trigger-v2';
import { captureFunctionsV3 } from './sql/capture-trigger-v3';

/**
 * `record.*` events are built in TypeScript from the audit row: the capture triggers keep writing
 * the audit row and an outbox row in the same statement, but the outbox row now points at its audit
 * row (`change_id`) instead of carrying a payload built in PL/pgSQL. Rows written before this
 * migration have no `change_id` and keep their full payload; the relay sends them as they are, so
 * an upgrade with a backlog loses nothing.
 *
 * No foreign key, like every other table here: the audit row is written by the same statement,
 * and a relay that finds it gone dead-letters the event rather than guessing its content.
 */
export class Migration20261207010000_events_from_audit extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "pricebook_outbox" add column "change_id" uuid null;');
    for (const sql of captureFunctionsV3) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const sql of captureFunctionsV2) this.addSql(sql);
    // Unpublished rows of the new shape get the payload the v2 triggers would have written, so a
    // downgraded relay still sends them.
    this.addSql(`update pricebook_outbox o
      set payload = jsonb_build_object(
        'entity', c.entity_type, 'recordId', c.record_id, 'stId', c.st_id,
        'operation', (case c.operation when 'create' then 'created' when 'delete' then 'deleted' else 'updated' end),
        'origin', c.origin, 'before', c.before, 'after', c.after, 'changedFields', to_jsonb(c.changed_fields),
        'syncLogId', c.sync_log_id, 'actor', c.actor)
      from pricebook_changes c
      where c.id = o.change_id and o.published_at is null;`);
    this.addSql('alter table "pricebook_outbox" drop column "change_id";');
  }
}
