import type { EntityManager } from '@mikro-orm/postgresql';
import type { SyncDirection, SyncLogStatus, SyncType } from '../entities/sync';
import { query } from './sql';
import { endedSyncStatuses } from './transitions';

/** A sync log row as the engine reads it (timestamps as ISO strings). */
export interface SyncLogRow {
  id: string;
  tenant_id: string;
  sync_type: SyncType;
  direction: SyncDirection;
  options: Record<string, unknown>;
  dry_run: boolean;
  status: SyncLogStatus;
  started_at: string | null;
  completed_at: string | null;
  duration_ms: number | null;
  records_fetched: number;
  records_created: number;
  records_updated: number;
  records_deleted: number;
  records_skipped: number;
  conflicts: number;
  errors: number;
  entity_stats: Record<string, Record<string, unknown>>;
  error_message: string | null;
}

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The select list of a `SyncLogRow` over the table aliased `alias`. */
export function syncLogColumns(alias: string): string {
  const a = `${alias}.`;
  return `${a}id, ${a}tenant_id::text as tenant_id, ${a}sync_type, ${a}direction, ${a}options, ${a}dry_run,
    ${a}status, ${iso(`${a}started_at`)} as started_at, ${iso(`${a}completed_at`)} as completed_at,
    ${a}duration_ms, ${a}records_fetched, ${a}records_created, ${a}records_updated, ${a}records_deleted,
    ${a}records_skipped, ${a}conflicts, ${a}errors, ${a}entity_stats, ${a}error_message`;
}

/**
 * The sync log rows of these ids (unknown ids are simply absent).
 *
 * @example
 * const syncs = await loadSyncs(em, [syncLogId]);
 */
export async function loadSyncs(em: EntityManager, ids: readonly string[]): Promise<Map<string, SyncLogRow>> {
  const rows = await query<SyncLogRow>(
    em,
    `select ${syncLogColumns('s')} from pricebook_sync_log s
      where s.id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
    [JSON.stringify(ids)],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Locks one sync log row for the rest of the transaction (fences of one sync take turns).
 *
 * @example
 * const sync = await lockSync(em, syncLogId);
 */
export async function lockSync(em: EntityManager, id: string): Promise<SyncLogRow | undefined> {
  const rows = await query<SyncLogRow>(
    em,
    `select ${syncLogColumns('s')} from pricebook_sync_log s where s.id = ? for update`,
    [id],
  );
  return rows[0];
}

/**
 * How many syncs have not ended, of every tenant (queued ones too: a sync is `queued` while its
 * first page is read and compared): work that can wait (embedding) yields to them.
 *
 * @example
 * if ((await syncsUnderWay(em)) > 0) await sleep(1_000);
 */
export async function syncsUnderWay(em: EntityManager): Promise<number> {
  const rows = await query<{ n: number }>(
    em,
    'select count(*)::int as n from pricebook_sync_log where status <> all(?)',
    [[...endedSyncStatuses]],
  );
  return rows[0]?.n ?? 0;
}
