import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from './decide';
import { type StFields, sameValue } from './fields';
import { applyEdits, fieldEdits, observedOf, pendingRow, t1, t2 } from './test-support';
import { threeWay } from './three-way';

// A small value domain so that both sides often pick the same field and sometimes the same
// value: the interesting cases (identical edits, edits back to the base value) happen often.
const fields = ['code', 'price', 'displayName', 'categories', 'vendor'] as const;
const value = fc.constantFrom<unknown>(null, 0, 1, 'a', 'b', [1], [1, 2], { x: 1 }, { x: 2 });

const { recordOf, editsOf } = fieldEdits(value, { keep: 3, set: 2, drop: 1 });

const versions = fc
  .tuple(recordOf(fields), editsOf(fields), editsOf(fields))
  .map(([base, stEdits, localEdits]) => {
    const b: StFields = { ...base, modifiedOn: t1 };
    return { base: b, st: applyEdits(b, stEdits, t2), local: applyEdits(b, localEdits, t1) };
  });

/** What a careful person would call changed and conflicting, field by field. */
function expectations(v: { base: StFields; st: StFields; local: StFields }) {
  const stChanged = fields.filter((f) => !sameValue(v.base[f], v.st[f]));
  const localChanged = fields.filter((f) => !sameValue(v.base[f], v.local[f]));
  const conflicts = fields.filter(
    (f) => stChanged.includes(f) && localChanged.includes(f) && !sameValue(v.st[f], v.local[f]),
  );
  return { stChanged, localChanged, conflicts };
}

describe('threeWay (property)', () => {
  it('raises a conflict exactly when both sides changed a field to different values', () => {
    fc.assert(
      fc.property(versions, (v) => {
        const { conflicts } = expectations(v);
        const r = threeWay(v);
        expect(Object.keys(r.conflicting).sort()).toEqual([...conflicts].sort());
        expect(r.merged === undefined).toBe(conflicts.length > 0);
      }),
      { numRuns: 2000, seed: 20_261_206 },
    );
  });

  it('never loses a change: every changed field keeps its new value in the merge', () => {
    fc.assert(
      fc.property(versions, (v) => {
        const { stChanged, localChanged } = expectations(v);
        const { merged } = threeWay(v);
        if (!merged) return;
        for (const f of fields) {
          const expected = stChanged.includes(f)
            ? v.st[f]
            : localChanged.includes(f)
              ? v.local[f]
              : v.base[f];
          expect(sameValue(merged[f], expected)).toBe(true);
        }
        expect(merged.modifiedOn).toBe(v.st.modifiedOn);
      }),
      { numRuns: 2000, seed: 20_261_206 },
    );
  });
});

describe('decide on a row with a local edit (property)', () => {
  it('merges every change, or raises a conflict naming each field both sides changed differently', () => {
    fc.assert(
      fc.property(versions, (v) => {
        const { stChanged, localChanged, conflicts } = expectations(v);
        const d = decide(observedOf(v.st), pendingRow(v.local, { base: v.base }), {
          resolveConflicts: 'manual',
        });
        if (conflicts.length > 0) {
          expect(d.action).toBe('conflict');
          expect(d.conflictType).toBe('both_modified');
          expect(Object.keys(d.fieldDiff ?? {}).sort()).toEqual([...conflicts].sort());
          return;
        }
        expect(d.action === 'merge' || d.action === 'update').toBe(true);
        // An update writes ST's record as it is: allowed only when nothing local is left to keep.
        const final = d.action === 'merge' ? d.local : d.record;
        if (d.action === 'update') expect(localChanged).toEqual([]);
        for (const f of stChanged) expect(sameValue(final?.[f], v.st[f])).toBe(true);
        for (const f of localChanged) expect(sameValue(final?.[f], v.local[f])).toBe(true);
      }),
      { numRuns: 2000, seed: 20_261_206 },
    );
  });

  it('never drops an ST edit on a locally deleted row without a conflict', () => {
    fc.assert(
      fc.property(versions, (v) => {
        const { stChanged } = expectations(v);
        const row = pendingRow(v.local, { base: v.base, deletedAt: '2025-01-20T00:00:00.000000Z' });
        const d = decide(observedOf(v.st), row, { resolveConflicts: 'manual' });
        if (stChanged.length === 0) {
          expect(d.action).toBe('skip');
          return;
        }
        expect(d).toMatchObject({ action: 'conflict', conflictType: 'local_deleted_st_modified' });
        expect(Object.keys(d.fieldDiff ?? {}).sort()).toEqual([...stChanged].sort());
      }),
      { numRuns: 1000, seed: 20_261_206 },
    );
  });
});
