import type { EntityType } from '@pricebook/contracts';
import type { EntityManager, SyncItemAction } from '@pricebook/db';
import { query, run } from './query';

/** One record a sync has accounted for. */
export interface LedgerItem {
  item_key: string;
  action: SyncItemAction;
  record_id: string | null;
  st_id: number | null;
  /** A dry run's plan for the record; null otherwise. */
  detail: Record<string, unknown> | null;
}

export interface NewLedgerItem {
  itemKey: string;
  action: SyncItemAction;
}

/**
 * Inserts ledger rows and returns only those that were new: a redelivered decision finds its
 * row already there, so callers count just what this returns.
 *
 * @example
 * const fresh = await insertLedger(em, syncLogId, 'materials', items);
 */
export async function insertLedger(
  em: EntityManager,
  syncLogId: string,
  entity: EntityType,
  items: readonly LedgerItem[],
): Promise<NewLedgerItem[]> {
  if (items.length === 0) return [];
  const rows = await query<{ item_key: string; action: SyncItemAction }>(
    em,
    `insert into pricebook_sync_items (sync_log_id, entity_type, item_key, action, record_id, st_id, detail)
     select ?, ?, r.item_key, r.action, r.record_id, r.st_id, r.detail
       from jsonb_to_recordset(?::jsonb)
         as r(item_key text, action text, record_id uuid, st_id bigint, detail jsonb)
     on conflict do nothing
     returning item_key, action`,
    [syncLogId, entity, JSON.stringify(items)],
  );
  return rows.map((r) => ({ itemKey: r.item_key, action: r.action }));
}

/**
 * How many records of one entity the sync has accounted for.
 *
 * @example
 * if ((await countLedger(em, syncLogId, 'materials')) < fence.published) throw notYet;
 */
export async function countLedger(em: EntityManager, syncLogId: string, entity: EntityType): Promise<number> {
  const rows = await query<{ n: string }>(
    em,
    'select count(*) as n from pricebook_sync_items where sync_log_id = ? and entity_type = ?',
    [syncLogId, entity],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Deletes a finished sync's ledger; the sync log keeps the counters.
 *
 * @example
 * await pruneLedger(em, syncLogId);
 */
export async function pruneLedger(em: EntityManager, syncLogId: string): Promise<number> {
  return run(em, 'delete from pricebook_sync_items where sync_log_id = ?', [syncLogId]);
}
