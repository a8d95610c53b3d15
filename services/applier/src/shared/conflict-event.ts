import { type ConflictType, catalog, type EntityType, subjects } from '@pricebook/contracts';
import type { OutboxInsert } from '../sql/outbox';

export interface ConflictEventInput {
  tenantId: string;
  entity: EntityType;
  syncLogId: string;
  recordId: string;
  stId: number | null;
  conflictId: string;
  conflictType: ConflictType;
  /** The local version before; ST's version (or the resolved data) after. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changedFields: readonly string[];
  /** The message that caused it (the decision or the fence). */
  causationId: string | null;
}

/**
 * The outbox row of a `record.conflicted` (queued for a person) or `record.resolved` (settled by
 * the sync's strategy) event; no trigger writes these because the row's content does not change.
 *
 * @example
 * const event = conflictEvent('conflicted', { tenantId, entity: 'materials', … });
 */
export function conflictEvent(kind: 'conflicted' | 'resolved', input: ConflictEventInput): OutboxInsert {
  const type = `record.${kind}` as const;
  const data = {
    entity: input.entity,
    recordId: input.recordId,
    stId: input.stId,
    operation: kind,
    origin: kind === 'resolved' ? 'resolution' : 'st',
    before: input.before,
    after: input.after,
    changedFields: [...input.changedFields],
    syncLogId: input.syncLogId,
    actor: 'applier',
    conflictId: input.conflictId,
    conflictType: input.conflictType,
  };
  return {
    tenant_id: input.tenantId,
    subject: subjects.recordEvent(input.tenantId, input.entity, kind),
    event_type: type,
    payload: catalog[type].data.parse(data),
    correlation_id: input.syncLogId,
    causation_id: input.causationId,
  };
}
