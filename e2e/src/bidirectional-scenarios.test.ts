import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, eventCount, localRows, outboxDrained, rows, startSyncedWorld, sync } from './test-support';

// Every pair of {ServiceTitan: unchanged, price edited, displayName edited, deactivated, deleted}
// × {local: unchanged, price edited, displayName edited, soft-deleted}, each on its own material,
// settled by ONE bidirectional full sync with resolveConflicts: 'manual'. The expectations follow
// the three-way rules (packages/merge README, DESIGN.md "Sync semantics") and the write-back rules
// (services/applier README). Invariant 6 holds in every row: a local edit ends up pushed to ST,
// merged (and pushed), or kept as a conflict, never silently replaced by ST's value.

type StEdit = 'unchanged' | 'priceEdited' | 'nameEdited' | 'deactivated' | 'deleted';
type LocalEdit = 'unchanged' | 'priceEdited' | 'nameEdited' | 'softDeleted';
/** Which side's value a field holds afterwards: the value before any edit, ST's edit or the local one. */
type Source = 'base' | 'st' | 'local';
type ConflictType = 'both_modified' | 'local_deleted_st_modified' | 'st_deleted_local_modified';

interface Scenario {
  st: StEdit;
  local: LocalEdit;
  expect: {
    local: {
      price: Source;
      displayName: Source;
      active: boolean;
      deleted: boolean;
      status: 'synced' | 'pending_sync' | 'conflict';
    };
    st: { price: Source; displayName: Source; active: boolean; deleted: boolean };
    conflict?: ConflictType;
    /** Audit rows (`pricebook_changes`) the sync wrote for the record, by origin. */
    audit: Partial<Record<'st' | 'local' | 'merge' | 'resolution' | 'inbound', number>>;
    /** Public record events the sync emitted for the record, by type. */
    events: Partial<Record<'created' | 'updated' | 'deleted' | 'conflicted' | 'resolved', number>>;
  };
}

const live = { active: true, deleted: false } as const;
const same = { price: 'base', displayName: 'base' } as const;
// ServiceTitan (the sandbox) marks a deleted item inactive as well.
const stGone = { active: false, deleted: true } as const;

// The local edit's own audit row and event (origin `local`) are written by the trigger when the
// edit is made, before the sync; the counts below are only what the sync itself added. A pushed
// local edit is therefore 0/0: ST's answer is the echo of the local record, recorded with origin
// `push`, which announces nothing (services/applier README, "after a write").
const scenarios: Scenario[] = [
  // ── ST unchanged ────────────────────────────────────────────────────────────────────────────
  {
    st: 'unchanged',
    local: 'unchanged',
    expect: {
      local: { ...same, ...live, status: 'synced' },
      st: { ...same, ...live },
      audit: {},
      events: {},
    },
  },
  {
    st: 'unchanged',
    local: 'priceEdited',
    expect: {
      local: { price: 'local', displayName: 'base', ...live, status: 'synced' },
      st: { price: 'local', displayName: 'base', ...live },
      audit: {},
      events: {},
    },
  },
  {
    st: 'unchanged',
    local: 'nameEdited',
    expect: {
      local: { price: 'base', displayName: 'local', ...live, status: 'synced' },
      st: { price: 'base', displayName: 'local', ...live },
      audit: {},
      events: {},
    },
  },
  {
    // A local delete is pushed as `PATCH active: false`; the row keeps ST's answer (active false).
    st: 'unchanged',
    local: 'softDeleted',
    expect: {
      local: { ...same, active: false, deleted: true, status: 'synced' },
      st: { ...same, active: false, deleted: false },
      audit: {},
      events: {},
    },
  },
  // ── ST price edited ─────────────────────────────────────────────────────────────────────────
  {
    st: 'priceEdited',
    local: 'unchanged',
    expect: {
      local: { price: 'st', displayName: 'base', ...live, status: 'synced' },
      st: { price: 'st', displayName: 'base', ...live },
      audit: { st: 1 },
      events: { updated: 1 },
    },
  },
  {
    st: 'priceEdited',
    local: 'priceEdited',
    expect: {
      local: { price: 'local', displayName: 'base', ...live, status: 'conflict' },
      st: { price: 'st', displayName: 'base', ...live },
      conflict: 'both_modified',
      audit: {},
      events: { conflicted: 1 },
    },
  },
  {
    // Disjoint fields: merged locally (one `merge` audit row and event), the local part pushed.
    st: 'priceEdited',
    local: 'nameEdited',
    expect: {
      local: { price: 'st', displayName: 'local', ...live, status: 'synced' },
      st: { price: 'st', displayName: 'local', ...live },
      audit: { merge: 1 },
      events: { updated: 1 },
    },
  },
  {
    st: 'priceEdited',
    local: 'softDeleted',
    expect: {
      local: { ...same, active: true, deleted: true, status: 'conflict' },
      st: { price: 'st', displayName: 'base', ...live },
      conflict: 'local_deleted_st_modified',
      audit: {},
      events: { conflicted: 1 },
    },
  },
  // ── ST displayName edited ───────────────────────────────────────────────────────────────────
  {
    st: 'nameEdited',
    local: 'unchanged',
    expect: {
      local: { price: 'base', displayName: 'st', ...live, status: 'synced' },
      st: { price: 'base', displayName: 'st', ...live },
      audit: { st: 1 },
      events: { updated: 1 },
    },
  },
  {
    st: 'nameEdited',
    local: 'priceEdited',
    expect: {
      local: { price: 'local', displayName: 'st', ...live, status: 'synced' },
      st: { price: 'local', displayName: 'st', ...live },
      audit: { merge: 1 },
      events: { updated: 1 },
    },
  },
  {
    st: 'nameEdited',
    local: 'nameEdited',
    expect: {
      local: { price: 'base', displayName: 'local', ...live, status: 'conflict' },
      st: { price: 'base', displayName: 'st', ...live },
      conflict: 'both_modified',
      audit: {},
      events: { conflicted: 1 },
    },
  },
  {
    st: 'nameEdited',
    local: 'softDeleted',
    expect: {
      local: { ...same, active: true, deleted: true, status: 'conflict' },
      st: { price: 'base', displayName: 'st', ...live },
      conflict: 'local_deleted_st_modified',
      audit: {},
      events: { conflicted: 1 },
    },
  },
  // ── ST deactivated (a full sync still lists it: an update of `active`) ───────────────────────
  {
    st: 'deactivated',
    local: 'unchanged',
    expect: {
      local: { ...same, active: false, deleted: false, status: 'synced' },
      st: { ...same, active: false, deleted: false },
      audit: { st: 1 },
      events: { updated: 1 },
    },
  },
  {
    st: 'deactivated',
    local: 'priceEdited',
    expect: {
      local: { price: 'local', displayName: 'base', ...live, status: 'conflict' },
      st: { ...same, active: false, deleted: false },
      conflict: 'st_deleted_local_modified',
      audit: {},
      events: { conflicted: 1 },
    },
  },
  {
    st: 'deactivated',
    local: 'nameEdited',
    expect: {
      local: { price: 'base', displayName: 'local', ...live, status: 'conflict' },
      st: { ...same, active: false, deleted: false },
      conflict: 'st_deleted_local_modified',
      audit: {},
      events: { conflicted: 1 },
    },
  },
  {
    // Both sides deleted it (a pushed local delete IS `PATCH active: false`): agreed, no conflict.
    // The push adopts ST's record as the echo of the delete (origin `push`): like ST unchanged ×
    // local delete, nothing more is announced. (Product fix: this used to be a spurious
    // `local_deleted_st_modified` conflict, see packages/merge decide.ts rule 6a and push/plan.ts.)
    st: 'deactivated',
    local: 'softDeleted',
    expect: {
      local: { ...same, active: false, deleted: true, status: 'synced' },
      st: { ...same, active: false, deleted: false },
      audit: {},
      events: {},
    },
  },
  // ── ST deleted (a full sync no longer lists it: the fence's sweep) ──────────────────────────
  {
    st: 'deleted',
    local: 'unchanged',
    expect: {
      local: { ...same, active: true, deleted: true, status: 'synced' },
      st: { ...same, ...stGone },
      audit: { st: 1 },
      events: { deleted: 1 },
    },
  },
  {
    st: 'deleted',
    local: 'priceEdited',
    expect: {
      local: { price: 'local', displayName: 'base', ...live, status: 'conflict' },
      st: { ...same, ...stGone },
      conflict: 'st_deleted_local_modified',
      audit: {},
      events: { conflicted: 1 },
    },
  },
  {
    st: 'deleted',
    local: 'nameEdited',
    expect: {
      local: { price: 'base', displayName: 'local', ...live, status: 'conflict' },
      st: { ...same, ...stGone },
      conflict: 'st_deleted_local_modified',
      audit: {},
      events: { conflicted: 1 },
    },
  },
  {
    // Both deleted: agreed. The sweep only looks at live rows, and the push finds the item gone
    // ("an item ST already lost is fine"), so the row is simply marked synced: nothing announced.
    st: 'deleted',
    local: 'softDeleted',
    expect: {
      local: { ...same, active: true, deleted: true, status: 'synced' },
      st: { ...same, ...stGone },
      audit: {},
      events: {},
    },
  },
];

interface Material {
  stId: number;
  recordId: string;
  /** The values both sides agreed on after the first sync, and each side's edit. */
  values: Record<'price' | 'displayName', Record<Source, unknown>>;
}

type ConflictList = {
  conflicts: Array<{ stId: number; recordId?: string; conflictType: string; entityType?: string }>;
};

describe('bidirectional sync: every pair of ST and local changes, end to end', () => {
  const world = forFile(() => startSyncedWorld({ sandbox: { items: 300, seed: 31 } }), 180_000);
  const materials: Material[] = [];
  let conflicts: ConflictList['conflicts'] = [];
  let stItems: Map<number, Record<string, unknown>>;
  // The last audit row and outbox row before the sync: what comes after is the sync's doing.
  let changesMark = '0';
  let outboxMark = '0';

  beforeAll(async () => {
    const local = await localRows(world.sql, 'materials');
    // Active materials only: deactivating an item that is already inactive would be no ST change.
    const ids = [...local.entries()]
      .filter(([, row]) => row.data.active === true)
      .map(([stId]) => stId)
      .sort((a, b) => a - b)
      .slice(0, scenarios.length);
    expect(ids).toHaveLength(scenarios.length);
    for (const [i, stId] of ids.entries()) {
      const row = local.get(stId);
      if (!row) throw new Error(`no material ${stId}`);
      materials.push({
        stId,
        recordId: row.id,
        values: {
          price: { base: row.data.price, st: 1000 + i + 0.25, local: 2000 + i + 0.5 },
          displayName: { base: row.data.displayName, st: `ST name ${i}`, local: `local name ${i}` },
        },
      });
    }

    // Every edit, on both sides, before the one sync.
    for (const [i, s] of scenarios.entries()) {
      const m = materials[i] as Material;
      const control = world.stack.sandbox.control;
      if (s.st === 'priceEdited') await control.editItem('materials', m.stId, { price: m.values.price.st });
      if (s.st === 'nameEdited')
        await control.editItem('materials', m.stId, { displayName: m.values.displayName.st });
      if (s.st === 'deactivated') await control.deactivateItem('materials', m.stId);
      if (s.st === 'deleted') await control.deleteItem('materials', m.stId);
      // Plain SQL without the engine's origin: the triggers capture these as local edits.
      if (s.local === 'priceEdited')
        await world.sql.query('update pricebook_materials set price = $1 where id = $2', [
          m.values.price.local,
          m.recordId,
        ]);
      if (s.local === 'nameEdited')
        await world.sql.query('update pricebook_materials set display_name = $1 where id = $2', [
          m.values.displayName.local,
          m.recordId,
        ]);
      if (s.local === 'softDeleted')
        await world.sql.query('update pricebook_materials set deleted_at = now() where id = $1', [
          m.recordId,
        ]);
    }

    await outboxDrained(world.sql);
    const [marks] = await rows<{ changes: string; outbox: string }>(
      world.sql,
      `select (select coalesce(max(seq), 0) from pricebook_changes) as changes,
              (select coalesce(max(seq), 0) from pricebook_outbox) as outbox`,
    );
    changesMark = marks?.changes ?? '0';
    outboxMark = marks?.outbox ?? '0';

    const result = await sync(world.stack, 'full', {
      direction: 'bidirectional',
      resolveConflicts: 'manual',
      allowMassDelete: true,
      // Every scenario at once is a mass change by design (prices ×20, many deletions).
      allowMassChange: true,
    });
    expect(result).toMatchObject({ status: 'completed' });

    await outboxDrained(world.sql);
    const list = await api<ConflictList>(
      world.stack,
      'GET',
      '/api/sync/pricebook/conflicts?entityType=materials',
    );
    expect(list.status).toBe(200);
    conflicts = list.body.conflicts;
    stItems = new Map(
      (await world.stack.sandbox.control.items('materials', { includeDeleted: true })).map((item) => [
        item.id,
        item,
      ]),
    );
  }, 300_000);

  it('publishes every record event the sync wrote to the public stream', async () => {
    const [outbox] = await rows<{ n: string }>(
      world.sql,
      `select count(*) as n from pricebook_outbox
        where event_type like 'record.%' and subject like 'pricebook.events.%.materials.%'`,
    );
    expect(await eventCount(world.stack, 'pricebook.events.*.materials.>')).toBe(Number(outbox?.n));
  });

  it('lists exactly the expected conflicts, one per conflicting scenario', () => {
    const expected = scenarios
      .map((s, i) => ({ stId: (materials[i] as Material).stId, conflictType: s.expect.conflict }))
      .filter((c) => c.conflictType !== undefined)
      .sort((a, b) => a.stId - b.stId);
    const listed = conflicts
      .map((c) => ({ stId: Number(c.stId), conflictType: c.conflictType }))
      .sort((a, b) => a.stId - b.stId);
    expect(listed).toEqual(expected);
  });

  it.each(scenarios.map((s, i) => [s.st, s.local, i] as const))(
    'ST %s × local %s',
    async (_st, _local, i) => {
      const s = scenarios[i] as Scenario;
      const m = materials[i] as Material;
      const value = (field: 'price' | 'displayName', source: Source) => m.values[field][source];

      // Local side.
      const [row] = await rows<{
        data: Record<string, unknown>;
        deleted_at: Date | null;
        sync_status: string;
        has_conflict: boolean;
      }>(
        world.sql,
        'select data, deleted_at, sync_status, has_conflict from pricebook_materials where id = $1',
        [m.recordId],
      );
      expect({
        price: row?.data.price,
        displayName: row?.data.displayName,
        active: row?.data.active,
        deleted: row?.deleted_at !== null,
        status: row?.sync_status,
        hasConflict: row?.has_conflict,
      }).toEqual({
        price: value('price', s.expect.local.price),
        displayName: value('displayName', s.expect.local.displayName),
        active: s.expect.local.active,
        deleted: s.expect.local.deleted,
        status: s.expect.local.status,
        hasConflict: s.expect.local.status === 'conflict',
      });

      // ServiceTitan side, as the sandbox holds it.
      const item = stItems.get(m.stId);
      expect({
        price: item?.price,
        displayName: item?.displayName,
        active: item?.active,
        deleted: item?.deleted,
      }).toEqual({
        price: value('price', s.expect.st.price),
        displayName: value('displayName', s.expect.st.displayName),
        active: s.expect.st.active,
        deleted: s.expect.st.deleted,
      });

      // The conflict listed by the API for this record, if any.
      expect(conflicts.filter((c) => Number(c.stId) === m.stId).map((c) => c.conflictType)).toEqual(
        s.expect.conflict ? [s.expect.conflict] : [],
      );

      // Audit rows and public events the sync made for this record.
      const audit = await rows<{ origin: string; n: string }>(
        world.sql,
        `select origin, count(*) as n from pricebook_changes where record_id = $1 and seq > $2 group by origin`,
        [m.recordId, changesMark],
      );
      expect(Object.fromEntries(audit.map((a) => [a.origin, Number(a.n)]))).toEqual(s.expect.audit);
      const events = await rows<{ type: string; n: string; unpublished: string }>(
        world.sql,
        `select substring(event_type from 8) as type, count(*) as n,
              count(*) filter (where published_at is null) as unpublished
         from pricebook_outbox
        where event_type like 'record.%' and payload ->> 'recordId' = $1 and seq > $2
        group by event_type`,
        [m.recordId, outboxMark],
      );
      expect(Object.fromEntries(events.map((e) => [e.type, Number(e.n)]))).toEqual(s.expect.events);
      expect(events.every((e) => e.unpublished === '0')).toBe(true);
    },
  );
});
