import { describe, expect, it } from 'vitest';
import { type CurrentRow, type LaterChange, planRevert, type SetChange } from './plan';

const recordId = '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d';
const base = { id: 48213, code: 'CU-12', description: 'pipe', price: 10, modifiedOn: '2025-12-01T00:00:00Z' };

const change = (over: Partial<SetChange>): SetChange => ({
  entity: 'materials',
  recordId,
  stId: 48213,
  seq: 1n,
  operation: 'update',
  before: base,
  after: { ...base, price: 12 },
  changedFields: ['price'],
  ...over,
});
const current = (over: Partial<CurrentRow> = {}): Map<string, CurrentRow> =>
  new Map([
    [
      `materials:${recordId}`,
      {
        entity: 'materials',
        id: recordId,
        stId: 48213,
        inConflict: false,
        deleted: false,
        version: 3,
        data: { ...base, price: 12 },
        ...over,
      },
    ],
  ]);
const later = (over: Partial<LaterChange>): LaterChange => ({
  id: 'f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f',
  entity: 'materials',
  recordId,
  operation: 'update',
  changedFields: ['description'],
  actor: 'api:operator:abc',
  ...over,
});

describe('planRevert', () => {
  it('writes back the before-value of each field, from the first change to the last', () => {
    const plan = planRevert(
      [change({}), change({ seq: 2n, before: { ...base, price: 12 }, after: { ...base, price: 14 } })],
      [],
      current({ data: { ...base, price: 14 } }),
    );
    expect(plan.reverted).toEqual([
      {
        entity: 'materials',
        recordId,
        stId: 48213,
        action: 'update',
        fields: ['price'],
        values: { price: 10 },
      },
    ]);
    expect(plan.writes).toMatchObject([{ action: 'update', set: { price: 10 }, unset: [] }]);
    expect(plan.skipped).toEqual([]);
  });

  it('keeps a field changed later, and still reverts the other fields of the row', () => {
    const plan = planRevert(
      [
        change({
          after: { ...base, price: 12, description: 'bulk' },
          changedFields: ['description', 'price'],
        }),
      ],
      [later({ changedFields: ['price'] })],
      current({ data: { ...base, price: 15, description: 'bulk' } }),
    );
    expect(plan.reverted).toMatchObject([{ fields: ['description'], values: { description: 'pipe' } }]);
    expect(plan.skipped).toMatchObject([
      { fields: ['price'], reason: 'changed_since', laterChangeId: 'f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f' },
    ]);
  });

  it('never overwrites a value that moved without an audit row, nor a field ServiceTitan owns', () => {
    const plan = planRevert(
      [
        change({
          after: { ...base, price: 12, modifiedOn: '2025-12-02T00:00:00Z' },
          changedFields: ['modifiedOn', 'price'],
        }),
      ],
      [],
      current({ data: { ...base, price: 13, modifiedOn: '2025-12-02T00:00:00Z' } }),
    );
    expect(plan.writes).toEqual([]);
    expect(plan.skipped.map((s) => [s.fields, s.reason])).toEqual([
      [['price'], 'changed_since'],
      [['modifiedOn'], 'read_only'],
    ]);
  });

  it('leaves a row a later change deleted, and a row in conflict', () => {
    const deleted = planRevert([change({})], [later({ operation: 'delete' })], current());
    expect(deleted.skipped).toMatchObject([
      { reason: 'changed_since', message: expect.stringMatching(/deleted/) },
    ]);
    const conflicted = planRevert([change({})], [], current({ inConflict: true }));
    expect(conflicted.skipped).toMatchObject([{ reason: 'in_conflict' }]);
    expect([...deleted.writes, ...conflicted.writes]).toEqual([]);
  });

  it("deletes a row it created, even after the push wrote ServiceTitan's echo into it", () => {
    const created = { code: 'NEW-1', description: 'new' };
    const plan = planRevert(
      [change({ operation: 'create', before: null, after: created, changedFields: ['code', 'description'] })],
      [],
      current({ data: { ...created, id: 90001, modifiedOn: '2025-12-03T00:00:00Z' } }),
    );
    expect(plan.reverted).toMatchObject([{ action: 'delete' }]);
  });

  it('restores a row it deleted if the row is still there, and says gone if it is not', () => {
    const plan = planRevert(
      [change({ operation: 'delete', after: base, changedFields: [] })],
      [],
      current({ deleted: true, data: { ...base, active: false } }),
    );
    expect(plan.writes).toMatchObject([{ action: 'restore', set: base, unset: ['active'] }]);
    const gone = planRevert([change({ operation: 'delete', after: null })], [], new Map());
    expect(gone.skipped).toMatchObject([{ reason: 'gone' }]);
  });
});
