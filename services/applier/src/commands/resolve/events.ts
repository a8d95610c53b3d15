import type { OutboxInsert } from '@pricebook/db';
import { conflictOutboxRow } from '../../shared/conflict-event';
import type { LockedConflict } from './load';

type Json = Record<string, unknown>;

export interface ResolutionEventInput {
  conflict: LockedConflict;
  /** `resolved` (settled, or dissolved by a re-evaluation) or `conflicted` (reopened). */
  kind: 'resolved' | 'conflicted';
  /** The conflict the event is about: the settled one, or the one that replaced it. */
  conflictId: string;
  /** `resolution` for a person's choice; `merge` when a re-evaluation merged the sides. */
  origin: 'resolution' | 'merge';
  actor: string;
  before: Json | null;
  after: Json | null;
  changedFields: readonly string[];
  syncLogId: string | null;
  /** The resolve command's message id. */
  causationId: string;
}

/**
 * The outbox row of a `record.resolved` or `record.conflicted` event written by a resolution,
 * validated now so a bad payload fails the resolution's transaction rather than the relay. Its
 * `occurredAt` (the outbox row's time) is the resolution's time, and `actor` who resolved it.
 *
 * @example
 * const event = resolutionEvent({ conflict, kind: 'resolved', origin: 'resolution', actor: 'ana', … });
 */
export function resolutionEvent(input: ResolutionEventInput): OutboxInsert {
  const { conflict, kind, changedFields, ...said } = input;
  return conflictOutboxRow(kind, {
    ...said,
    tenantId: conflict.tenantId,
    entity: conflict.entity,
    recordId: conflict.recordId,
    stId: conflict.stId,
    conflictType: conflict.conflictType,
    changedFields: [...changedFields].sort(),
    // The conflict is the unit of work a resolution belongs to.
    correlationId: conflict.id,
  });
}
