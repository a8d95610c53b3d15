import { describe, expect, it } from 'vitest';
import { EntityComparison, type LocalSide } from './compare';

const material = (id: number, fields: Record<string, unknown> = {}) => ({
  id,
  code: `M-${id}`,
  price: 10,
  cost: 4,
  active: true,
  categories: [7, 3],
  modifiedOn: '2025-01-01T00:00:00.0000000Z',
  ...fields,
});

const synced = (data: Record<string, unknown>, more: Partial<LocalSide> = {}): LocalSide => ({
  stId: Number(data.id),
  data,
  syncStatus: 'synced',
  hasConflict: false,
  deleted: false,
  ...more,
});

function compare(local: LocalSide[], st: Array<[Record<string, unknown> & { id: number }, boolean?]>) {
  const c = new EntityComparison('materials');
  for (const row of local) c.addLocal(row);
  for (const [record, gone] of st) c.addSt(record, gone);
  // The local rows of the differing items, as the check reads them again.
  const data = new Map(local.filter((r) => c.differing().includes(r.stId)).map((r) => [r.stId, r.data]));
  return c.finish(data);
}

describe('EntityComparison', () => {
  it('finds two sides alike when only what ServiceTitan computes differs', () => {
    const { counts, items } = compare(
      [synced(material(1)), synced(material(2))],
      [[material(1, { modifiedOn: '2026-01-01T00:00:00.0000000Z', sortOrder: 4 })], [material(2)]],
    );
    expect(items).toEqual([]);
    expect(counts).toMatchObject({ st: 2, local: 2, drifted: 0, categories: [] });
    expect(counts.stHash).toBe(counts.localHash);
  });

  it('names the items missing on either side and the fields that differ, and the categories whose hashes differ', () => {
    const { counts, items } = compare(
      [synced(material(1)), synced(material(2))],
      [[material(1, { price: 12, cost: 5 })], [material(3, { categories: [9] })]],
    );
    expect(items).toEqual([
      { entity: 'materials', stId: 1, kind: 'differs', fields: ['cost', 'price'] },
      { entity: 'materials', stId: 2, kind: 'missing_in_st', fields: [] },
      { entity: 'materials', stId: 3, kind: 'missing_locally', fields: [] },
    ]);
    expect(counts).toMatchObject({ st: 2, local: 2, drifted: 3 });
    expect(counts.categories.map((c) => [c.category, c.st, c.local, c.drifted])).toEqual([
      ['3', 1, 2, 2],
      ['9', 1, 0, 1],
    ]);
  });

  it('takes the last version of a record the feed repeats', () => {
    const { items } = compare(
      [synced(material(1, { price: 12 }))],
      [[material(1)], [material(1, { price: 12 })]],
    );
    expect(items).toEqual([]);
  });

  it('leaves out rows with a pending local edit, an open conflict or no ST id yet, and counts them', () => {
    const c = new EntityComparison('materials');
    c.addUnpushed(2);
    c.addLocal(synced(material(1, { price: 99 }), { syncStatus: 'pending_sync' }));
    c.addLocal(synced(material(2), { syncStatus: 'conflict', hasConflict: true }));
    c.addSt(material(1, { price: 12 }));
    c.addSt(material(2, { price: 13 }));
    const { counts, items } = c.finish();
    expect(items).toEqual([]);
    expect(counts).toMatchObject({ st: 0, local: 0, pending: 3, conflicts: 1 });
  });

  it('agrees with a deletion on both sides, and tells an item ST deleted from one it switched off', () => {
    const { items } = compare(
      [synced(material(1), { deleted: true }), synced(material(2)), synced(material(3))],
      [
        [material(1, { active: false })],
        [material(2, { active: false }), true],
        [material(3, { active: false })],
        [material(4, { active: false }), true],
      ],
    );
    expect(items).toEqual([
      { entity: 'materials', stId: 2, kind: 'missing_in_st', fields: [] },
      { entity: 'materials', stId: 3, kind: 'differs', fields: ['active'] },
    ]);
  });

  it('reports an item ServiceTitan still has that the engine deleted locally as missing locally', () => {
    const { items } = compare([synced(material(1), { deleted: true })], [[material(1)]]);
    expect(items).toEqual([{ entity: 'materials', stId: 1, kind: 'missing_locally', fields: [] }]);
  });
});
