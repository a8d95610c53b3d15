import { type EntityType, entityTables } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import type { LocalRow } from '@pricebook/merge';

interface DbRow {
  id: string;
  st_id: string;
  data: Record<string, unknown>;
  base: Record<string, unknown> | null;
  content_hash: string | null;
  sync_status: LocalRow['syncStatus'];
  has_conflict: boolean;
  deleted_at: string | null;
  version: number;
  local_modified_at: string | null;
  st_modified_on: string | null;
}

// ISO 8601 in UTC with microseconds: the form the decided messages' `expected` carries.
const iso = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ${column}`;

/**
 * Loads the local rows of some ST ids of one tenant and entity in **one** query, only the
 * columns a decision needs. Rows are keyed by ST id.
 *
 * @example
 * const rows = await loadRows(em, '1001', 'materials', [20000123, 20000124]);
 */
export async function loadRows(
  em: EntityManager,
  tenant: string,
  entity: EntityType,
  stIds: readonly number[],
): Promise<Map<number, LocalRow>> {
  const out = new Map<number, LocalRow>();
  if (stIds.length === 0) return out;
  // The ids are validated integers; one array parameter keeps the statement the same for any count.
  const rows = await em.execute<DbRow[]>(
    `select id, st_id::text as st_id, data, base, content_hash, sync_status, has_conflict, version,
            ${iso('deleted_at')}, ${iso('local_modified_at')}, ${iso('st_modified_on')}
       from ${entityTables[entity]}
      where tenant_id = ? and st_id = any(?::bigint[])`,
    [tenant, `{${[...new Set(stIds)].join(',')}}`],
  );
  for (const r of rows) {
    out.set(Number(r.st_id), {
      id: r.id,
      data: r.data,
      base: r.base,
      contentHash: r.content_hash,
      syncStatus: r.sync_status,
      hasConflict: r.has_conflict,
      deletedAt: r.deleted_at,
      version: r.version,
      localModifiedAt: r.local_modified_at,
      stModifiedOn: r.st_modified_on,
    });
  }
  return out;
}
