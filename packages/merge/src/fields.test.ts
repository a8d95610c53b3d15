import { describe, expect, it } from 'vitest';
import { diffFields, sameValue, syncedContent, syncedHash, volatileFields } from './fields';
import { diffOptionsFor, threeWay } from './three-way';

describe('sameValue', () => {
  it('compares canonical JSON: key order does not matter, array order does', () => {
    expect(sameValue({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue(12.5, 12.5)).toBe(true);
    expect(sameValue('1', 1)).toBe(false);
  });

  it('treats a missing field as null', () => {
    expect(sameValue(undefined, null)).toBe(true);
    expect(sameValue(undefined, 0)).toBe(false);
    expect(sameValue({ a: null }, {})).toBe(false);
  });
});

describe('diffFields', () => {
  it('lists the differing top-level fields, sorted, without volatile ones', () => {
    const a = { price: 1, code: 'A', modifiedOn: '2025-01-01T00:00:00.0000000Z', vendors: [{ id: 1 }] };
    const b = {
      price: 2,
      code: 'A',
      modifiedOn: '2025-02-01T00:00:00.0000000Z',
      vendors: [{ id: 2 }],
      extra: 1,
    };
    expect(diffFields(a, b)).toEqual(['extra', 'price', 'vendors']);
  });

  it('ignores every documented volatile field', () => {
    const a = Object.fromEntries(volatileFields.map((f) => [f, 1]));
    const b = Object.fromEntries(volatileFields.map((f) => [f, 2]));
    expect(diffFields(a, b)).toEqual([]);
  });

  it('ignores the computed cost of services only', () => {
    expect(diffFields({ cost: 1 }, { cost: 2 }, diffOptionsFor('services'))).toEqual([]);
    expect(diffFields({ cost: 1 }, { cost: 2 }, diffOptionsFor('materials'))).toEqual(['cost']);
  });

  it('counts a null record as empty', () => {
    expect(diffFields(null, { a: 1, b: null })).toEqual(['a']);
  });
});

describe('threeWay', () => {
  const base = { code: 'A', price: 1, cost: 0.5, active: true, modifiedOn: '2025-01-01T00:00:00.0000000Z' };

  it('merges disjoint edits and takes volatile fields from ST', () => {
    const st = { ...base, price: 2, modifiedOn: '2025-02-01T00:00:00.0000000Z' };
    const local = { ...base, code: 'B' };
    const r = threeWay({ base, st, local });
    expect(r).toEqual({
      stChanged: ['price'],
      localChanged: ['code'],
      conflicting: {},
      merged: { ...base, code: 'B', price: 2, modifiedOn: '2025-02-01T00:00:00.0000000Z' },
    });
  });

  it('does not count a field changed identically on both sides as a conflict', () => {
    const r = threeWay({ base, st: { ...base, price: 3 }, local: { ...base, price: 3 } });
    expect(r.conflicting).toEqual({});
    expect(r.merged?.price).toBe(3);
  });

  it('reports a field changed to different values on both sides', () => {
    const r = threeWay({ base, st: { ...base, price: 3 }, local: { ...base, price: 4, cost: 0.7 } });
    expect(r.conflicting).toEqual({ price: { base: 1, st: 3, local: 4 } });
    expect(r.merged).toBeUndefined();
  });

  it('keeps a field removed on one side removed', () => {
    const { cost: _cost, ...withoutCost } = base;
    const r = threeWay({ base, st: base, local: withoutCost });
    expect(r.localChanged).toEqual(['cost']);
    expect(r.merged).toEqual(withoutCost);
  });

  it('without a base, treats every differing field as both-changed', () => {
    const r = threeWay({ base: null, st: { a: 1, b: 2 }, local: { a: 1, b: 3 } });
    expect(Object.keys(r.conflicting)).toEqual(['b']);
  });
});

describe('syncedHash', () => {
  const material = {
    id: 7,
    code: 'P-1',
    price: 10,
    cost: 4,
    active: true,
    modifiedOn: '2025-01-01T00:00:00Z',
  };

  it('ignores what ServiceTitan computes and fields the schema does not know', () => {
    const touched = { ...material, modifiedOn: '2025-02-02T00:00:00Z', sortOrder: 9 };
    expect(syncedHash('materials', touched)).toBe(syncedHash('materials', material));
    expect(Object.keys(syncedContent('materials', material))).not.toContain('modifiedOn');
  });

  it('changes with any synced field, and a missing field hashes as null', () => {
    expect(syncedHash('materials', { ...material, price: 11 })).not.toBe(syncedHash('materials', material));
    expect(syncedHash('materials', { ...material, description: null })).toBe(
      syncedHash('materials', material),
    );
  });

  it('leaves out the fields volatile on one entity only (cost on services)', () => {
    const service = { id: 8, code: 'S-1', price: 100, cost: 20, active: true };
    expect(syncedHash('services', { ...service, cost: 25 })).toBe(syncedHash('services', service));
    expect(syncedHash('materials', { ...material, cost: 5 })).not.toBe(syncedHash('materials', material));
  });
});
