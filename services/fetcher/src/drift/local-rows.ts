import { type EntityType, entityTables } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import type { EntityComparison } from './compare';

interface DbRow {
  st_id: string | null;
  data: Record<string, unknown>;
  sync_status: 'synced' | 'pending_sync' | 'conflict';
  has_conflict: boolean;
  deleted: boolean;
}

const batchSize = 5_000;

/**
 * Hands every local row of one tenant's entity to a comparison, `batchSize` rows per query in ST
 * id order (local creates not yet pushed, which have no ST id, in one count). Reads only.
 *
 * @example
 * await addLocalRows(em, '1001', 'materials', comparison);
 */
export async function addLocalRows(
  em: EntityManager,
  tenant: string,
  entity: EntityType,
  comparison: EntityComparison,
): Promise<void> {
  const table = entityTables[entity];
  const [unpushed] = await em.execute<{ n: string }[]>(
    `select count(*) as n from ${table} where tenant_id = ? and st_id is null and deleted_at is null`,
    [tenant],
  );
  comparison.addUnpushed(Number(unpushed?.n ?? 0));
  let after = -1;
  for (;;) {
    const rows = await em.execute<DbRow[]>(
      `select st_id::text as st_id, data, sync_status, has_conflict, deleted_at is not null as deleted
         from ${table}
        where tenant_id = ? and st_id > ?
        order by st_id
        limit ?`,
      [tenant, after, batchSize],
    );
    for (const r of rows) {
      comparison.addLocal({
        stId: Number(r.st_id),
        data: r.data,
        syncStatus: r.sync_status,
        hasConflict: r.has_conflict,
        deleted: r.deleted,
      });
    }
    const last = rows.at(-1);
    if (rows.length < batchSize || !last) return;
    after = Number(last.st_id);
  }
}

/**
 * The local `data` of some ST ids of one tenant's entity, `batchSize` ids per query.
 *
 * @example
 * const data = await localData(em, '1001', 'materials', comparison.differing());
 */
export async function localData(
  em: EntityManager,
  tenant: string,
  entity: EntityType,
  stIds: readonly number[],
): Promise<Map<number, Record<string, unknown>>> {
  const out = new Map<number, Record<string, unknown>>();
  for (let i = 0; i < stIds.length; i += batchSize) {
    const ids = stIds.slice(i, i + batchSize);
    const rows = await em.execute<{ st_id: string; data: Record<string, unknown> }[]>(
      `select st_id::text as st_id, data from ${entityTables[entity]} where tenant_id = ? and st_id = any(?::bigint[])`,
      [tenant, `{${ids.join(',')}}`],
    );
    for (const r of rows) out.set(Number(r.st_id), r.data);
  }
  return out;
}
