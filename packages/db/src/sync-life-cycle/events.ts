import {
  catalog,
  type MessageType,
  messageIds,
  readSyncOptions,
  type SyncEventData,
  subjects,
} from '@pricebook/contracts';
import type { SyncLogRow } from './row';

/** An outbox row the engine writes itself (the triggers write the row-change events). */
export interface OutboxInsert {
  tenant_id: string;
  subject: string;
  event_type: MessageType;
  payload: Record<string, unknown>;
  /** The sync log id. */
  correlation_id: string | null;
  /** The id of the message that caused it. */
  causation_id: string | null;
}

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
    entityTypes: readSyncOptions(row.options).entityTypes,
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
