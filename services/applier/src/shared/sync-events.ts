import {
  type ConflictType,
  catalog,
  type EntityType,
  messageIds,
  type SyncEventData,
  subjects,
} from '@pricebook/contracts';
import type { OutboxInsert } from '../sql/outbox';
import type { SyncLogRow } from '../sql/sync-log';
import { syncOptions } from './sync-options';

const syncTypes = new Set(['full', 'incremental', 'push']);

/**
 * The outbox row of a sync lifecycle event, validated against the catalog now so a bad payload
 * fails the transaction that wrote it rather than the relay. Undefined for a sync type the
 * events do not describe (`resolve`).
 *
 * @example
 * const started = syncEvent('started', row);
 */
export function syncEvent(
  kind: 'started' | 'progress' | 'completed' | 'failed',
  row: SyncLogRow,
  error?: { code: string; message: string },
): OutboxInsert | undefined {
  if (!syncTypes.has(row.sync_type)) return undefined;
  const data: Record<string, unknown> = {
    syncLogId: row.id,
    syncType: row.sync_type,
    status: kind === 'completed' ? 'completed' : kind === 'failed' ? 'failed' : 'running',
    stats: {
      fetched: row.records_fetched,
      created: row.records_created,
      updated: row.records_updated,
      deleted: row.records_deleted,
      skipped: row.records_skipped,
      conflicts: row.conflicts,
      errors: row.errors,
    },
    direction: row.direction,
    entityTypes: syncOptions(row.options).entityTypes,
    dryRun: row.dry_run,
    ...(row.started_at ? { startedAt: row.started_at } : {}),
    ...(kind === 'completed' || kind === 'failed'
      ? {
          ...(row.completed_at ? { completedAt: row.completed_at } : {}),
          ...(row.duration_ms !== null ? { durationMs: row.duration_ms } : {}),
        }
      : {}),
    ...(error ? { error } : {}),
  } satisfies Partial<Record<keyof SyncEventData, unknown>>;
  const type = `sync.${kind}` as const;
  return {
    tenant_id: row.tenant_id,
    subject: subjects.syncEvent(row.tenant_id, kind),
    event_type: type,
    payload: catalog[type].data.parse(data),
    correlation_id: row.id,
    causation_id: messageIds.syncCommand(row.id),
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
