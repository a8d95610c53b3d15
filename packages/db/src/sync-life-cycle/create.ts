import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SyncType } from '../entities/sync';
import { query } from './sql';

export interface QueueSyncInput {
  /** Given when the caller already built messages naming the sync; a new uuid otherwise. */
  id?: string;
  tenantId: string;
  syncType: SyncType;
  direction: 'from_st' | 'to_st' | 'bidirectional';
  /** The sync command's options, in its camelCase names (see `syncOptions`). */
  options: Record<string, unknown>;
  dryRun: boolean;
  triggeredBy: string | null;
}

/**
 * Writes a new sync log row, `queued`: the only way a sync that will run is born. The caller
 * writes the command that carries it in the same transaction.
 *
 * @example
 * const { id } = await queueSync(em, { tenantId: '1001', syncType: 'push', direction: 'to_st',
 *   options: { entityTypes: ['materials'] }, dryRun: false, triggeredBy: 'cli' });
 */
export async function queueSync(
  em: EntityManager,
  input: QueueSyncInput,
): Promise<{ id: string; createdAt: Date }> {
  const id = input.id ?? randomUUID();
  const [row] = await query<{ created_at: string | Date }>(
    em,
    `insert into pricebook_sync_log (id, tenant_id, sync_type, direction, options, dry_run, status, triggered_by)
     values (?, ?, ?, ?, ?::jsonb, ?, 'queued', ?) returning created_at`,
    [
      id,
      input.tenantId,
      input.syncType,
      input.direction,
      JSON.stringify(input.options),
      input.dryRun,
      input.triggeredBy,
    ],
  );
  return { id, createdAt: new Date(row?.created_at ?? Date.now()) };
}

export interface SkippedSyncInput {
  tenantId: string;
  syncType: SyncType;
  /** Shown as the row's `error_message`; must contain `dedupeKey`. */
  reason: string;
  triggeredBy: string;
  /**
   * A skip already recorded by the same `triggeredBy` in the last day whose reason contains this
   * text is the same skip (a redelivered tick): nothing is written.
   */
  dedupeKey: string;
}

/**
 * Records a sync that was asked for but never ran (a scheduled tick that met a running sync) as a
 * row born `cancelled`, so the history shows it and why. Returns whether a row was written.
 *
 * @example
 * await recordSkippedSync(em, { tenantId: '1001', syncType: 'full', reason, triggeredBy: 'scheduler:full',
 *   dedupeKey: '(tick 2026-12-06T02:00:00.000Z)' });
 */
export async function recordSkippedSync(em: EntityManager, input: SkippedSyncInput): Promise<boolean> {
  const rows = await query(
    em,
    `insert into pricebook_sync_log
       (tenant_id, sync_type, direction, dry_run, status, completed_at, duration_ms, error_message, triggered_by)
     select ?, ?, 'from_st', false, 'cancelled', now(), 0, ?, ?
      where not exists (
        select 1 from pricebook_sync_log
         where tenant_id = ? and triggered_by = ? and status = 'cancelled'
           and created_at > now() - interval '1 day'
           and position(? in coalesce(error_message, '')) > 0)
     returning id`,
    [
      input.tenantId,
      input.syncType,
      input.reason,
      input.triggeredBy,
      input.tenantId,
      input.triggeredBy,
      input.dedupeKey,
    ],
  );
  return rows.length > 0;
}
