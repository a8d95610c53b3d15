import type { Harness } from './index';

/** A material row in conflict and its unresolved conflict, as the applier records them (test support only). */
export async function seedConflict(
  h: Harness,
  tenant: string,
  stId: number,
  options: { conflictType?: string; entity?: 'materials'; createdAt?: string; status?: string } = {},
): Promise<{
  conflictId: string;
  recordId: string;
  st: Record<string, unknown>;
  local: Record<string, unknown>;
}> {
  const base = {
    id: stId,
    code: `M-${stId}`,
    price: 10,
    cost: 4,
    active: true,
    modifiedOn: '2025-12-01T10:00:00.0000001Z',
  };
  const st = { ...base, price: 20, modifiedOn: '2025-12-02T10:00:00.0000002Z' };
  const local = { ...base, price: 42, code: `L-${stId}` };
  const [row] = await h.sql<{ id: string }>(
    `insert into pricebook_materials (tenant_id, st_id, data, base, content_hash, st_modified_on, sync_status, has_conflict)
     values (?, ?, ?::jsonb, ?::jsonb, 'abc', ?::timestamptz, 'conflict', true) returning id`,
    [tenant, stId, JSON.stringify(local), JSON.stringify(base), st.modifiedOn],
  );
  const recordId = String(row?.id);
  const [conflict] = await h.sql<{ id: string }>(
    `insert into pricebook_sync_conflicts (tenant_id, entity_type, record_id, st_id, conflict_type, st_version,
       local_version, base_version, field_diff, status, created_at)
     values (?, 'materials', ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?, coalesce(?::timestamptz, now()))
     returning id`,
    [
      tenant,
      recordId,
      stId,
      options.conflictType ?? 'both_modified',
      JSON.stringify(st),
      JSON.stringify(local),
      JSON.stringify(base),
      JSON.stringify({ price: { base: 10, st: 20, local: 42 } }),
      options.status ?? 'unresolved',
      options.createdAt ?? null,
    ],
  );
  return { conflictId: String(conflict?.id), recordId, st, local };
}
