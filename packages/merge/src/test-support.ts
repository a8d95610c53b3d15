import type { RecordObservedData } from '@pricebook/contracts';
import fc from 'fast-check';
import type { LocalRow } from './decide';
import type { StFields } from './fields';

/** Test-only builders for the decision tests (not exported by the package). */

export const syncLogId = '0b6d4f1e-2c3a-4b5d-8e9f-1a2b3c4d5e6f';
export const recordId = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
export const stId = 20_000_123;

export const t1 = '2025-01-01T00:00:00.0000000Z';
export const t2 = '2025-02-01T00:00:00.0000000Z';
export const t3 = '2025-03-01T00:00:00.0000000Z';

export const hashA = 'aaaaaaaaaaaaaaaa';
export const hashB = 'bbbbbbbbbbbbbbbb';

/** A material as both sides last agreed. */
export const baseRecord: StFields = {
  id: stId,
  code: 'CU-12',
  displayName: 'Copper 1/2"',
  description: 'pipe',
  price: 12.5,
  cost: 7.25,
  active: true,
  categories: [11, 12],
  modifiedOn: t1,
};

export function observedOf(
  record: StFields,
  overrides: Partial<Omit<RecordObservedData, 'record'>> = {},
): RecordObservedData {
  return {
    syncLogId,
    entity: 'materials',
    stId,
    modifiedOn: typeof record.modifiedOn === 'string' ? record.modifiedOn : t1,
    record: { ...record },
    hash: hashB,
    ...overrides,
  };
}

/** A synced row holding `baseRecord`, hashed `hashA`. */
export function rowOf(overrides: Partial<LocalRow> = {}): LocalRow {
  return {
    id: recordId,
    data: baseRecord,
    base: baseRecord,
    contentHash: hashA,
    syncStatus: 'synced',
    hasConflict: false,
    deletedAt: null,
    version: 3,
    localModifiedAt: null,
    ...overrides,
  };
}

/** A row with a local edit on top of `baseRecord`. */
export function pendingRow(local: StFields, overrides: Partial<LocalRow> = {}): LocalRow {
  return rowOf({
    data: local,
    syncStatus: 'pending_sync',
    localModifiedAt: '2025-01-15T10:00:00.000000Z',
    ...overrides,
  });
}

const KEEP = Symbol('keep');
const DROP = Symbol('drop');

/**
 * Random records and random edits of them for the property tests: each field of an edit is kept,
 * dropped or set to a `value`, as often as `weights` says.
 *
 * @example
 * const { recordOf, editsOf } = fieldEdits(fc.constantFrom(0, 'a'), { keep: 3, set: 2, drop: 1 });
 */
export function fieldEdits(
  value: fc.Arbitrary<unknown>,
  weights: { keep: number; set: number; drop: number },
) {
  const edit = fc.oneof(
    { arbitrary: fc.constant<typeof KEEP>(KEEP), weight: weights.keep },
    { arbitrary: value, weight: weights.set },
    { arbitrary: fc.constant<typeof DROP>(DROP), weight: weights.drop },
  );
  return {
    recordOf: (fields: readonly string[]) =>
      fc.record(Object.fromEntries(fields.map((f) => [f, value])), { requiredKeys: [] }),
    editsOf: (fields: readonly string[]) => fc.record(Object.fromEntries(fields.map((f) => [f, edit]))),
  };
}

/** `from` after the edits of `fieldEdits`, stamped `modifiedOn`. */
export function applyEdits(from: StFields, edits: Record<string, unknown>, modifiedOn: string): StFields {
  const out: Record<string, unknown> = { ...from, modifiedOn };
  for (const [field, e] of Object.entries(edits)) {
    if (e === DROP) delete out[field];
    else if (e !== KEEP) out[field] = e;
  }
  return out;
}
