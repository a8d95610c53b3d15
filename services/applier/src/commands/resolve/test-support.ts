import { createMessage, type Message, type MessageDataInput } from '@pricebook/contracts';
import { type Harness, hashOf, material, seedRows, T2, tenant } from '../../test-support';

/** A conflict as a sync records it, with the row in conflict (test support only). */
export interface OpenedConflict {
  conflictId: string;
  recordId: string;
  base: Record<string, unknown>;
  st: Record<string, unknown>;
  local: Record<string, unknown>;
}

/**
 * Row 5 synced at `base`, then edited locally (price 42, code LOCAL), while ST changed price to 20
 * and cost: a `both_modified` conflict on price, recorded as the applier records it.
 */
export async function openConflict(h: Harness): Promise<OpenedConflict> {
  const base = material(5);
  await seedRows(h, [base]);
  const local = { ...base, price: 42, code: 'LOCAL' };
  await h.sql(`update pricebook_materials set data = ?::jsonb where st_id = 5`, [JSON.stringify(local)]);
  const st = { ...base, price: 20, cost: 5.5, modifiedOn: T2 };
  await h.orm.em.fork().transactional(async (em) => {
    await em.execute(`select set_config('pricebook.origin', 'st', true)`);
    await em.execute(
      `update pricebook_materials set sync_status = 'conflict', has_conflict = true, content_hash = ?,
              st_modified_on = ?::timestamptz where st_id = 5`,
      [hashOf(st), T2],
    );
  });
  const [row] = await h.sql<{ id: string }>('select id from pricebook_materials where st_id = 5');
  const recordId = String(row?.id);
  const [conflict] = await h.sql<{ id: string }>(
    `insert into pricebook_sync_conflicts (tenant_id, entity_type, record_id, st_id, conflict_type, st_version,
       local_version, base_version, field_diff)
     values (?, 'materials', ?, 5, 'both_modified', ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb) returning id`,
    [
      tenant,
      recordId,
      JSON.stringify(st),
      JSON.stringify(local),
      JSON.stringify(base),
      JSON.stringify({ price: { base: base.price, st: 20, local: 42 } }),
    ],
  );
  await h.sql('delete from pricebook_changes');
  await h.sql('delete from pricebook_outbox');
  return { conflictId: String(conflict?.id), recordId, base, st, local };
}

/** A resolve command as another system would publish it. */
export function resolveCommand(
  data: MessageDataInput<'resolve.command'>,
  id = `resolve:${data.conflictId}`,
): Message<'resolve.command'> {
  return createMessage('resolve.command', { id, tenant, correlationId: data.conflictId, data });
}
