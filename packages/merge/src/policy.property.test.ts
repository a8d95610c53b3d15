import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type StFields, sameValue } from './fields';
import { type PolicyResult, type Settlement, settleThreeWay } from './policy';
import { applyEdits, fieldEdits } from './test-support';

// Materials fields of every kind the policy must tell apart: writable (price, memberPrice, code,
// categories, active), read-only (isOtherDirectCost), volatile (calculatedPrice) and write-only
// (intacctGlGroupAccount, never in a record ST sends).
const writable = ['price', 'memberPrice', 'code', 'categories', 'active'] as const;
const readOnly = 'isOtherDirectCost';
const volatile = 'calculatedPrice';
const writeOnly = 'intacctGlGroupAccount';
const recordFields = [...writable, readOnly, volatile] as const;
const localFields = [...recordFields, writeOnly] as const;

// A small value domain so both sides often pick the same field and sometimes the same value.
const value = fc.constantFrom<unknown>(null, 0, 1, 2.5, 'a', 'b', true, false, [1], [1, 2]);
const { recordOf, editsOf } = fieldEdits(value, { keep: 4, set: 3, drop: 1 });

const T1 = '2025-01-01T00:00:00Z';
const T2 = '2025-02-01T00:00:00Z';

const versions = fc
  .tuple(recordOf(recordFields), editsOf(recordFields), editsOf(localFields))
  .map(([base, stEdits, localEdits]) => {
    const b: StFields = { id: 7, ...base, modifiedOn: T1 };
    return { base: b, st: applyEdits(b, stEdits, T2), local: applyEdits(b, localEdits, T1) };
  });

type Versions = { base: StFields; st: StFields; local: StFields };

/** Changed and disputed fields as a careful person would see them (volatile fields aside). */
function expectations(v: Versions) {
  const fields = localFields;
  const stChanged = fields.filter((f) => f !== volatile && !sameValue(v.base[f], v.st[f]));
  const localChanged = fields.filter((f) => f !== volatile && !sameValue(v.base[f], v.local[f]));
  const disputed = stChanged.filter((f) => localChanged.includes(f) && !sameValue(v.st[f], v.local[f]));
  return { stChanged, localChanged, disputed };
}

// Random strategies: a whole side, open, or a person's per-field choice (a side or a typed value)
// for each disputed field, with some disputed fields sometimes left without a choice.
const personChoice = fc.record(
  Object.fromEntries(
    localFields.map((f) => [
      f,
      fc.oneof(
        fc.constant({ side: 'st' as const }),
        fc.constant({ side: 'local' as const }),
        value.map((typed) => ({ typed })),
        fc.constant(undefined),
      ),
    ]),
  ),
);
const strategy = fc.oneof(
  fc.constant<'open' | 'st' | 'local'>('open'),
  fc.constant<'open' | 'st' | 'local'>('st'),
  fc.constant<'open' | 'st' | 'local'>('local'),
  personChoice,
);
const cases = fc.tuple(versions, strategy).map(([v, s]) => {
  if (typeof s === 'string') return { v, settle: s as Settlement };
  const { disputed } = expectations(v);
  const fields: Record<string, 'st' | 'local'> = {};
  const values: Record<string, unknown> = {};
  for (const f of disputed) {
    const choice = s[f];
    if (choice && 'side' in choice) fields[f] = choice.side;
    else if (choice && 'typed' in choice) values[f] = choice.typed;
  }
  return { v, settle: { fields, values } as Settlement };
});

/** ServiceTitan after it applied a PATCH (record shape; write-only fields are not kept). */
const applied = (st: StFields, send: Readonly<Record<string, unknown>>): StFields => {
  const { [writeOnly]: _dropped, ...kept } = send;
  return { ...st, ...kept, modifiedOn: '2025-03-01T00:00:00Z' };
};

const settle = (v: Versions, s: Settlement): PolicyResult =>
  settleThreeWay({ entity: 'materials', base: v.base, st: v.st, local: v.local, settle: s });

// Fixed seed: CI runs the same few thousand cases every time; a failure prints its counterexample.
const run = { numRuns: 3000, seed: 20_261_206 };

describe('the conflict policy (property)', () => {
  it('never reverts an ST change nobody disputed: it stays in the record and is never sent', () => {
    fc.assert(
      fc.property(cases, ({ v, settle: s }) => {
        const { stChanged, disputed } = expectations(v);
        const r = settle(v, s);
        for (const f of stChanged.filter((x) => !disputed.includes(x))) {
          expect(sameValue(r.record[f], v.st[f])).toBe(true);
          expect(Object.hasOwn(r.send, f)).toBe(false);
          expect(r.owners[f]).toBe('st');
        }
        expect(sameValue(applied(v.st, r.send)[volatile], v.st[volatile])).toBe(true);
      }),
      run,
    );
  });

  it('never loses a local change nobody disputed: kept in the record, and in ST once sent', () => {
    fc.assert(
      fc.property(cases, ({ v, settle: s }) => {
        const { stChanged, localChanged, disputed } = expectations(v);
        const r = settle(v, s);
        const after = applied(v.st, r.send);
        for (const f of localChanged.filter((x) => !disputed.includes(x))) {
          expect(sameValue(r.record[f], v.local[f])).toBe(true);
          // Both sides making the same change is ST's change already: nothing to send.
          expect(r.owners[f]).toBe(stChanged.includes(f) ? 'st' : 'local');
          const sendable = (writable as readonly string[]).includes(f) && v.local[f] !== undefined;
          if (sendable && Object.keys(r.open).length === 0)
            expect(sameValue(after[f], v.local[f])).toBe(true);
        }
      }),
      run,
    );
  });

  it('settles each disputed field as the strategy says, and sends nothing while one is open', () => {
    fc.assert(
      fc.property(cases, ({ v, settle: s }) => {
        const { disputed } = expectations(v);
        const r = settle(v, s);
        expect(Object.keys(r.disputed).sort()).toEqual([...disputed].sort());
        for (const f of disputed) {
          const expected =
            s === 'open'
              ? { owner: 'local', value: v.local[f], open: true }
              : s === 'st' || s === 'local'
                ? { owner: s, value: v[s][f], open: false }
                : Object.hasOwn(s.values ?? {}, f)
                  ? { owner: 'person', value: s.values?.[f], open: false }
                  : s.fields?.[f]
                    ? { owner: s.fields[f], value: v[s.fields[f]][f], open: false }
                    : { owner: 'local', value: v.local[f], open: true };
          expect(r.owners[f]).toBe(expected.owner);
          expect(sameValue(r.record[f], expected.value)).toBe(true);
          expect(Object.hasOwn(r.open, f)).toBe(expected.open);
        }
        if (Object.keys(r.open).length > 0) expect(r.send).toEqual({});
      }),
      run,
    );
  });

  it('sends only writable fields, each one a real change to ST, and never a write-only null', () => {
    fc.assert(
      fc.property(cases, ({ v, settle: s }) => {
        const r = settle(v, s);
        for (const [f, sent] of Object.entries(r.send)) {
          expect([...writable, writeOnly]).toContain(f);
          expect(r.owners[f] === 'local' || r.owners[f] === 'person').toBe(true);
          expect(sameValue(sent, v.st[f])).toBe(false);
          expect(sameValue(sent, r.record[f])).toBe(true);
          if (f === writeOnly) expect(sent).not.toBeNull();
        }
      }),
      run,
    );
  });

  it('changes nothing when applied twice: planned again against the ST it produced, it sends nothing new', () => {
    fc.assert(
      fc.property(cases, ({ v, settle: s }) => {
        const first = settle(v, s);
        if (Object.keys(first.open).length > 0) return;
        const st = applied(v.st, first.send);
        expect(applied(st, first.send)).toEqual(st);
        // ST never shows a write-only field, so a plan can only send its value again, never another.
        const { [writeOnly]: again1, ...firstRest } = first.send;
        // A retried push (the first one's outcome was never recorded): same row, ST already written.
        const retried = settle({ base: v.base, st, local: v.local }, s);
        const { [writeOnly]: again2, ...retriedRest } = retried.send;
        expect(retriedRest).toEqual({});
        expect(again2).toEqual(again1);
        // The row once it holds the result, agreed against ST's new version.
        const agreed = settle({ base: st, st, local: first.record }, s);
        const { [writeOnly]: again3, ...agreedRest } = agreed.send;
        expect(agreedRest).toEqual({});
        expect(again3).toEqual(again1);
        expect(Object.keys(firstRest).every((f) => sameValue(st[f], first.record[f]))).toBe(true);
        // A field the local record lacks cannot be written by a PATCH, so it is left as ST has it.
        for (const f of writable) {
          if (Object.hasOwn(first.record, f)) expect(sameValue(st[f], first.record[f])).toBe(true);
        }
      }),
      run,
    );
  });

  it('plans the same thing every time it is asked: a dry run computes exactly what a real run sends', () => {
    fc.assert(
      fc.property(cases, ({ v, settle: s }) => {
        const dry = settle(structuredClone(v), s);
        const real = settle(v, s);
        expect(real.send).toEqual(dry.send);
        expect(real.record).toEqual(dry.record);
        expect(real.owners).toEqual(dry.owners);
      }),
      run,
    );
  });
});
