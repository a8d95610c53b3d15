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
  /** The ST version accounted for (see `ledgerVersionOf`); none for sweeps and pushes. */
  version?: string;
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
  const versioned = items.some((item) => item.version !== undefined);
  // A record seen again at another version adds that version to its row (the entity is done only
  // once every version is in); the row itself, and so the counters, stay those of its first
  // accounting. Callers pass each key at most once per call (the decided batch goes in rounds).
  const onConflict = versioned
    ? `on conflict (sync_log_id, entity_type, item_key) do update
         set versions = pricebook_sync_items.versions || excluded.versions
       where not excluded.versions <@ pricebook_sync_items.versions`
    : 'on conflict do nothing';
  const rows = await query<{ item_key: string; action: SyncItemAction; inserted: boolean }>(
    em,
    `insert into pricebook_sync_items (sync_log_id, entity_type, item_key, action, record_id, st_id, detail, versions)
     select ?, ?, r.item_key, r.action, r.record_id, r.st_id, r.detail,
            case when r.version is null then '{}'::text[] else array[r.version] end
       from jsonb_to_recordset(?::jsonb)
         as r(item_key text, action text, record_id uuid, st_id bigint, detail jsonb, version text)
     ${onConflict}
     returning item_key, action, xmax = 0 as inserted`,
    [syncLogId, entity, JSON.stringify(items)],
  );
  return rows.filter((r) => r.inserted).map((r) => ({ itemKey: r.item_key, action: r.action }));
}

/**
 * The ST versions a sync has accounted for so far, by ledger key (keys not yet accounted are absent).
 *
 * @example
 * const seen = await accountedVersions(em, syncLogId, 'materials', ['42']); // Map { '42' => ['2025-…Z'] }
 */
export async function accountedVersions(
  em: EntityManager,
  syncLogId: string,
  entity: EntityType,
  keys: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (keys.length === 0) return out;
  const rows = await query<{ item_key: string; versions: string[] }>(
    em,
    `select item_key, versions from pricebook_sync_items
      where sync_log_id = ? and entity_type = ? and item_key = any(?::text[])`,
    [syncLogId, entity, `{${keys.map((key) => JSON.stringify(key)).join(',')}}`],
  );
  for (const r of rows) out.set(r.item_key, r.versions);
  return out;
}

/**
 * Whether the ledger holds everything a fence announced: every record, and every version of
 * each (a row accounted without versions, by an older applier, counts as one).
 *
 * @example
 * if (!(await ledgerHolds(em, fence)).done) throw notYet;
 */
export async function ledgerHolds(
  em: EntityManager,
  fence: { syncLogId: string; entity: EntityType; published: number; versions?: number | undefined },
): Promise<{ done: boolean; records: number; versions: number }> {
  const rows = await query<{ records: string; versions: string }>(
    em,
    `select count(*) as records, coalesce(sum(greatest(cardinality(versions), 1)), 0) as versions
       from pricebook_sync_items where sync_log_id = ? and entity_type = ?`,
    [fence.syncLogId, fence.entity],
  );
  const records = Number(rows[0]?.records ?? 0);
  const versions = Number(rows[0]?.versions ?? 0);
  return { done: records >= fence.published && versions >= (fence.versions ?? 0), records, versions };
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
