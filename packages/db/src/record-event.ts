import type { EntityType, RecordEventData } from '@pricebook/contracts';
import type { ChangeOperation, WriteOrigin } from './entities/events';

/** An audit row (`pricebook_changes`) as the relay reads it, in the column names of the table. */
export interface AuditChange {
  id: string;
  entity_type: EntityType;
  record_id: string;
  /** bigint, as text: the driver's way to keep it exact. */
  st_id: string | null;
  operation: ChangeOperation;
  origin: WriteOrigin;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changed_fields: string[];
  sync_log_id: string | null;
  actor: string | null;
  /** The change-set the change belongs to (`pricebook_changesets`); null or absent outside any. */
  changeset_id?: string | null;
}

/**
 * SQL for the audit row of alias `alias` as one jsonb `AuditChange` (null when there is none), so
 * a query that reads outbox rows reads each one's audit row in the same statement.
 *
 * @example
 * `select o.*, ${auditChangeJson('c')} as change from pricebook_outbox o left join pricebook_changes c on c.id = o.change_id`
 */
export function auditChangeJson(alias: string): string {
  const c = alias;
  return `case when ${c}.id is not null then jsonb_build_object(
    'id', ${c}.id, 'entity_type', ${c}.entity_type, 'record_id', ${c}.record_id, 'st_id', ${c}.st_id::text,
    'operation', ${c}.operation, 'origin', ${c}.origin, 'before', ${c}.before, 'after', ${c}.after,
    'changed_fields', to_jsonb(${c}.changed_fields), 'sync_log_id', ${c}.sync_log_id, 'actor', ${c}.actor,
    'changeset_id', ${c}.changeset_id)
  end`;
}

/** The change events a row write announces; `conflicted` and `resolved` are the applier's own. */
export type RowEventOperation = Extract<RecordEventData['operation'], 'created' | 'updated' | 'deleted'>;

/**
 * The event name of an audit operation: subscribers see a restore as an update, while the audit
 * row keeps the finer `restore`.
 *
 * @example
 * rowEventOperation('restore'); // 'updated'
 */
export function rowEventOperation(operation: ChangeOperation): RowEventOperation {
  if (operation === 'create') return 'created';
  if (operation === 'delete') return 'deleted';
  return 'updated';
}

/**
 * The data of the public `record.created|updated|deleted` event that announces one audit row: the
 * only place that decides what such an event carries, so a new field is a change to the contracts
 * and to this function, never a migration. Every key is present (null when unknown), as the
 * subscribers of the events written before it saw them; `changeSetId`, added later, is present
 * only when the change belongs to a change-set.
 *
 * @example
 * const data = recordEventData(change); // { entity: 'materials', operation: 'updated', … }
 */
export function recordEventData(change: AuditChange): RecordEventData {
  return {
    entity: change.entity_type,
    recordId: change.record_id,
    stId: change.st_id === null ? null : Number(change.st_id),
    operation: rowEventOperation(change.operation),
    origin: change.origin,
    before: change.before,
    after: change.after,
    changedFields: change.changed_fields,
    syncLogId: change.sync_log_id,
    actor: change.actor,
    ...(change.changeset_id ? { changeSetId: change.changeset_id } : {}),
  };
}
