import {
  type ChangeOrigin,
  type ConflictType,
  catalog,
  type EntityType,
  subjects,
} from '@pricebook/contracts';
import type { OutboxInsert } from '@pricebook/db';

type Json = Record<string, unknown>;

/** Everything a `record.conflicted` or `record.resolved` event says, whoever writes it. */
export interface ConflictEventFields {
  tenantId: string;
  entity: EntityType;
  recordId: string;
  stId: number | null;
  conflictId: string;
  conflictType: ConflictType;
  origin: ChangeOrigin;
  actor: string;
  before: Json | null;
  after: Json | null;
  changedFields: readonly string[];
  syncLogId: string | null;
  /** The unit of work the event belongs to (the sync, or the conflict a person resolved). */
  correlationId: string | null;
  /** The message that caused it. */
  causationId: string | null;
}

/**
 * The outbox row of a conflict's event, validated now so a bad payload fails the transaction
 * that wrote it rather than the relay; no trigger writes these because the row's content does
 * not change (or not only).
 *
 * @example
 * const event = conflictOutboxRow('resolved', { tenantId, entity: 'materials', origin: 'resolution', … });
 */
export function conflictOutboxRow(
  kind: 'conflicted' | 'resolved',
  fields: ConflictEventFields,
): OutboxInsert {
  const type = `record.${kind}` as const;
  const data = {
    entity: fields.entity,
    recordId: fields.recordId,
    stId: fields.stId,
    operation: kind,
    origin: fields.origin,
    before: fields.before,
    after: fields.after,
    changedFields: [...fields.changedFields],
    syncLogId: fields.syncLogId,
    actor: fields.actor,
    conflictId: fields.conflictId,
    conflictType: fields.conflictType,
  };
  return {
    tenant_id: fields.tenantId,
    subject: subjects.recordEvent(fields.tenantId, fields.entity, kind),
    event_type: type,
    payload: catalog[type].data.parse(data),
    correlation_id: fields.correlationId,
    causation_id: fields.causationId,
  };
}

export interface ConflictEventInput {
  tenantId: string;
  entity: EntityType;
  syncLogId: string;
  recordId: string;
  stId: number | null;
  conflictId: string;
  conflictType: ConflictType;
  /** The local version before; ST's version (or the resolved data) after. */
  before: Json | null;
  after: Json | null;
  changedFields: readonly string[];
  /** The message that caused it (the decision or the fence). */
  causationId: string | null;
}

/**
 * The outbox row of a `record.conflicted` (queued for a person) or `record.resolved` (settled by
 * the sync's strategy) event written by a sync, on behalf of the applier.
 *
 * @example
 * const event = conflictEvent('conflicted', { tenantId, entity: 'materials', … });
 */
export function conflictEvent(kind: 'conflicted' | 'resolved', input: ConflictEventInput): OutboxInsert {
  return conflictOutboxRow(kind, {
    ...input,
    origin: kind === 'resolved' ? 'resolution' : 'st',
    actor: 'applier',
    correlationId: input.syncLogId,
  });
}
