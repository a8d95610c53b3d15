import { canonicalJson } from '@pricebook/contracts';
import { describe, expect, it } from 'vitest';
import { BULK, PATCH, usePushWorld } from './test-support';

// What a push sends is derived from the three-way result: only the fields the local side owns.

const w = usePushWorld({ items: 20, known: 8 });

/** The fields of the ST item that differ between two reads (modifiedOn aside). */
function changed(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys({ ...before, ...after })
    .filter((k) => k !== 'modifiedOn' && canonicalJson(before[k] ?? null) !== canonicalJson(after[k] ?? null))
    .sort();
}

/** ST changes price and memberPrice; the local side changes only price, to another value. */
async function priceDisputed(i: number, local: number) {
  const id = await w.idOf('materials', w.stId(i));
  const before = await w.sb.control.item('materials', w.stId(i));
  await w.sb.control.editItem('materials', w.stId(i), {
    price: Number(before.price) + 100,
    memberPrice: Number(before.memberPrice) + 7,
  });
  await w.h.sql('update pricebook_materials set price = ? where id = ?', [local, id]);
  return { id, st: await w.sb.control.item('materials', w.stId(i)) };
}

describe('a push settled by the sync strategy', () => {
  it('keep_local sends only the disputed field: ServiceTitan keeps its undisputed memberPrice', async () => {
    const { id, st } = await priceDisputed(0, 612.5);
    const sync = await w.createSync({ resolveConflicts: 'keep_local' });
    expect(await w.push(sync)).toBe('completed');

    const after = await w.sb.control.item('materials', w.stId(0));
    expect(after).toMatchObject({ price: 612.5, memberPrice: st.memberPrice });
    expect(changed(st, after)).toEqual(['price']);
    const row = await w.rowOf('materials', id);
    expect(row).toMatchObject({ sync_status: 'synced', has_conflict: false });
    expect(row.data).toMatchObject({ price: 612.5, memberPrice: st.memberPrice });
    const conflicts = await w.h.sql<{ resolution: string; resolved_data: Record<string, unknown> }>(
      `select resolution, resolved_data from pricebook_sync_conflicts where record_id = ?`,
      [id],
    );
    expect(conflicts).toMatchObject([
      { resolution: 'keep_local', resolved_data: { price: 612.5, memberPrice: st.memberPrice } },
    ]);
  });

  it('keep_st lets ServiceTitan win the disputed field and still sends the local side’s undisputed edit', async () => {
    const { id, st } = await priceDisputed(1, 44);
    await w.h.sql(`update pricebook_materials set code = 'LOCAL-CODE' where id = ?`, [id]);
    const sync = await w.createSync({ resolveConflicts: 'keep_st' });
    await w.push(sync);

    const after = await w.sb.control.item('materials', w.stId(1));
    expect(after).toMatchObject({ price: st.price, memberPrice: st.memberPrice, code: 'LOCAL-CODE' });
    expect(changed(st, after)).toEqual(['code']);
    const row = await w.rowOf('materials', id);
    expect(row.sync_status).toBe('synced');
    expect(row.data).toMatchObject({ price: st.price, code: 'LOCAL-CODE' });
    // The write that settled the conflict is the sync's change: its event names the sync's change-set.
    const audit = await w.h.sql<{ changeset_id: string }>(
      `select distinct changeset_id from pricebook_changes where record_id = ? and sync_log_id = ?`,
      [id, sync],
    );
    expect(audit).toEqual([{ changeset_id: sync }]);
    const resolved = await w.h.sql<{ payload: Record<string, unknown> }>(
      `select payload from pricebook_outbox where event_type = 'record.resolved' and payload ->> 'recordId' = ?`,
      [id],
    );
    expect(resolved.map((e) => e.payload.changeSetId)).toEqual([sync]);
  });

  it('sends exactly the request its dry run planned', async () => {
    const { st } = await priceDisputed(2, 901.25);
    const dry = await w.createSync({ resolveConflicts: 'keep_local', dryRun: true });
    await w.push(dry, { dryRun: true });
    const [planned] = await w.h.sql<{ detail: { request: { body: Record<string, unknown> } } }>(
      `select detail from pricebook_sync_items where sync_log_id = ?`,
      [dry],
    );
    expect(planned?.detail.request.body).toEqual({ price: 901.25 });

    await w.push(await w.createSync({ resolveConflicts: 'keep_local' }));
    const after = await w.sb.control.item('materials', w.stId(2));
    expect(changed(st, after)).toEqual(Object.keys(planned?.detail.request.body ?? {}));
    expect(after.price).toBe(901.25);
  });
});

describe('a bulk write-back', () => {
  it('never overwrites an item ServiceTitan changed after the batch was planned', async () => {
    const rows = await Promise.all([3, 4, 5].map((i) => w.idOf('materials', w.stId(i))));
    for (const [n, id] of rows.entries()) {
      await w.h.sql('update pricebook_materials set price = ? where id = ?', [300 + n, id]);
    }
    // A local create in the same batch: ServiceTitan is edited right after it, i.e. after the
    // batch read ST and before the bulk write.
    await w.h.sql(
      `insert into pricebook_materials (tenant_id, code, description, price) values ('1001', 'BULK-NEW', 'x', 3)`,
    );
    let edited: Record<string, unknown> | undefined;
    await w.push(
      await w.createSync(),
      {},
      {
        bulkMin: 2,
        afterCreate: async () => {
          edited = await w.sb.control.editItem('materials', w.stId(4), {
            memberPrice: 1.25,
            description: 'ST',
          });
        },
      },
    );

    expect(edited).toBeDefined();
    const moved = await w.sb.control.item('materials', w.stId(4));
    expect(moved).toMatchObject({ price: 301, memberPrice: 1.25, description: 'ST' });
    expect(await w.sb.control.item('materials', w.stId(3))).toMatchObject({ price: 300 });
    expect(await w.sb.control.item('materials', w.stId(5))).toMatchObject({ price: 302 });
    const requests = await w.requests();
    expect(requests[BULK]).toBe(1);
    expect(requests[PATCH]).toBe(1);
    const row = await w.rowOf('materials', rows[1] ?? '');
    expect(row.sync_status).toBe('synced');
    expect(row.data).toMatchObject({ price: 301, memberPrice: 1.25, description: 'ST' });
  });
});
