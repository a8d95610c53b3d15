import { type EntityType, entityTables } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import { query } from '../../sql/query';

/** One entity of one sync, as the queries below see it. */
export interface UnseenScope {
  tenantId: string;
  syncLogId: string;
  entity: EntityType;
}

/**
 * SQL for the ST ids of live local rows that the sync's ledger does not hold: ST's listing did
 * not show them. That alone proves nothing (an offset-paged listing misses rows that slide
 * between pages); only a read by id can say they are gone. EXCEPT is always a hashed (or
 * sorted) set difference, never a per-row probe, so the cost stays linear however stale the
 * planner's statistics are right after a bulk load. Three parameters: tenant, sync, entity.
 */
export const unseenIdsSql = (table: string) => `select t.st_id from ${table} t
   where t.tenant_id = ? and t.st_id is not null and t.deleted_at is null
  except
  select i.st_id from pricebook_sync_items i
   where i.sync_log_id = ? and i.entity_type = ? and i.st_id is not null`;

/** The parameters of {@link unseenIdsSql}. */
export const unseenParams = (scope: UnseenScope) => [scope.tenantId, scope.syncLogId, scope.entity];

/**
 * The ST ids (as text) of the live local rows the sync has not seen, in id order.
 *
 * @example
 * const ids = await listUnseen(em, { tenantId, syncLogId, entity: 'materials' }); // ['20000123', …]
 */
export async function listUnseen(em: EntityManager, scope: UnseenScope): Promise<string[]> {
  const rows = await query<{ st_id: string }>(
    em,
    `select u.st_id::text as st_id from (${unseenIdsSql(entityTables[scope.entity])}) u order by u.st_id`,
    unseenParams(scope),
  );
  return rows.map((r) => r.st_id);
}

/**
 * How many of `keys` the sync's ledger holds for the entity.
 *
 * @example
 * if ((await countAccounted(em, scope, ['42'])) === 1) …
 */
export async function countAccounted(
  em: EntityManager,
  scope: UnseenScope,
  keys: readonly string[],
): Promise<number> {
  if (keys.length === 0) return 0;
  const rows = await query<{ n: string }>(
    em,
    `select count(*) as n from pricebook_sync_items
      where sync_log_id = ? and entity_type = ? and item_key in (select jsonb_array_elements_text(?::jsonb))`,
    [scope.syncLogId, scope.entity, JSON.stringify(keys)],
  );
  return Number(rows[0]?.n ?? 0);
}
