import type { Harness } from './index';

/** An ST material record as a sync would store it. */
export function stMaterial(stId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: stId,
    code: `CU-${stId}`,
    displayName: `Copper ${stId}`,
    description: 'copper fitting',
    price: 10,
    cost: 4.25,
    active: true,
    categories: [7],
    modifiedOn: '2025-12-01T10:00:00.0000001Z',
    ...overrides,
  };
}

/**
 * Inserts synced rows as the engine would (origin `st`) and empties the audit trail and outbox,
 * so a test sees only what it did. Returns the local ids in the order given.
 */
export async function seedMaterials(
  h: Harness,
  tenantId: string,
  records: Record<string, unknown>[],
): Promise<string[]> {
  const ids = await h.orm.em.fork().transactional(async (em) => {
    await em.execute(`select set_config('pricebook.origin', 'st', true)`);
    const out: string[] = [];
    for (const r of records) {
      const rows = await em.execute<{ id: string }[]>(
        `insert into pricebook_materials (tenant_id, st_id, data, base, sync_status, last_synced_at)
         values (?, ?, ?::jsonb, ?::jsonb, 'synced', now()) returning id`,
        [tenantId, r.id, JSON.stringify(r), JSON.stringify(r)],
      );
      out.push(rows[0]?.id ?? '');
    }
    return out;
  });
  await h.sql('delete from pricebook_changes');
  await h.sql('delete from pricebook_outbox');
  return ids;
}
