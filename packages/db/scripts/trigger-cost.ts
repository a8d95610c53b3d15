/**
 * Prints what the change-capture triggers cost on the applier's bulk path: one
 * INSERT … ON CONFLICT DO UPDATE of 10,000 material rows, with the triggers on and off.
 * Uses a throwaway database on the test server. Usage: pnpm --filter @pricebook/db trigger-cost
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { createTestDatabase } from '@pricebook/testing';
import { migrate } from '../src/migrate';
import { createOrm } from '../src/orm';
import { setWriteContext } from '../src/write-context';

const rows = 10_000;
const runs = 5;

function material(stId: number, price: number) {
  return {
    id: stId,
    code: `MAT-${stId}`,
    displayName: `Material ${stId}`,
    description: '<p>Copper fitting, lead free, 1/2 inch sweat connection.</p>',
    cost: 3.1,
    active: true,
    price,
    memberPrice: price * 0.9,
    addOnPrice: price * 0.8,
    addOnMemberPrice: price * 0.75,
    hours: 0.25,
    bonus: 0,
    commissionBonus: 0,
    paysCommission: false,
    deductAsJobCost: false,
    unitOfMeasure: 'EA',
    isInventory: true,
    account: 'Materials',
    taxable: true,
    primaryVendor: {
      id: stId,
      vendorName: 'Ferguson',
      vendorId: 12,
      memo: null,
      vendorPart: 'F-1',
      cost: 3.1,
      active: true,
    },
    otherVendors: [],
    categories: [101, 102],
    assets: [],
    modifiedOn: '2025-06-01T12:00:00.1234567Z',
    createdOn: '2020-01-01T00:00:00Z',
    isConfigurableMaterial: false,
    chargeableByDefault: true,
  };
}

const upsertSql = `
  insert into pricebook_materials (tenant_id, st_id, data, base, content_hash, sync_status, last_synced_at)
  select 1, (r ->> 'id')::bigint, r, r, md5(r::text), 'synced', now() from jsonb_array_elements(?::jsonb) as r
  on conflict (tenant_id, st_id) do update
    set data = excluded.data, base = excluded.base, content_hash = excluded.content_hash,
        sync_status = 'synced', last_synced_at = now()`;

const db = await createTestDatabase('pb_trigger_cost');
const orm = await createOrm(db.url, { poolMax: 1 });
try {
  await migrate(db.url);
  const batch = (price: number) =>
    JSON.stringify(Array.from({ length: rows }, (_, i) => material(1_000 + i, price)));

  type Mode = 'none' | 'row' | 'all';
  const captures = ['insert', 'update', 'delete'].map((op) => `pricebook_materials_capture_${op}`);
  async function timed(mode: Mode, payload: string, reset: boolean): Promise<number> {
    return orm.em.fork().transactional(async (em: EntityManager) => {
      await setWriteContext(em, { origin: 'st' });
      // replica mode skips every ordinary trigger; ALTER TABLE is transactional, so it rolls back.
      if (mode === 'none') await em.execute(`set local session_replication_role = replica`);
      if (mode === 'row') {
        for (const c of captures) await em.execute(`alter table pricebook_materials disable trigger ${c}`);
      }
      if (reset) {
        await em.execute(`select set_config('pricebook.allow_truncate', 'on', true)`);
        await em.execute('truncate pricebook_materials, pricebook_changes, pricebook_outbox');
      }
      const start = performance.now();
      await em.execute(upsertSql, [payload]);
      const elapsed = performance.now() - start;
      if (mode === 'row') {
        for (const c of captures) await em.execute(`alter table pricebook_materials enable trigger ${c}`);
      }
      return elapsed;
    });
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const modes: Mode[] = ['none', 'row', 'all'];
  const scenarios: [string, (mode: Mode, run: number) => Promise<number>][] = [
    ['insert 10k new rows', (tr) => timed(tr, batch(10), true)],
    ['update 10k rows, every price changed', (tr, run) => timed(tr, batch(20 + run), false)],
    ['upsert 10k identical rows (no content change)', (tr, run) => timed(tr, batch(20 + run), false)],
  ];
  for (const mode of modes) await timed(mode, batch(1), true); // warm-up
  console.log(`rows per statement: ${rows}, median of ${runs} runs (ms)`);
  console.log(
    `${'scenario'.padEnd(48)} ${'no triggers'.padStart(12)} ${'row trigger'.padStart(12)} ${'all'.padStart(8)}`,
  );
  for (const [name, run] of scenarios) {
    const result = new Map<Mode, number>();
    for (const mode of modes) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        if (name.startsWith('upsert')) await timed(mode, batch(20 + i), false); // make the next run identical
        times.push(await run(mode, i));
      }
      result.set(mode, median(times));
    }
    const cell = (m: Mode, width: number) => (result.get(m) ?? 0).toFixed(0).padStart(width);
    const factor = (result.get('all') ?? 0) / (result.get('none') || 1);
    console.log(
      `${name.padEnd(48)} ${cell('none', 12)} ${cell('row', 12)} ${cell('all', 8)}   ×${factor.toFixed(2)}`,
    );
  }
} finally {
  await orm.close();
  await db.drop();
}
