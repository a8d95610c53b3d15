import { RecordDecidedData } from '@pricebook/contracts';
import { describe, expect, it } from 'vitest';
import { type DecideOptions, type Decision, decide, type LocalRow } from './decide';
import {
  baseRecord,
  hashA,
  hashB,
  observedOf,
  pendingRow,
  recordId,
  rowOf,
  t1,
  t2,
  t3,
} from './test-support';

const manual: DecideOptions = { resolveConflicts: 'manual' };
const edited = { ...baseRecord, price: 14, modifiedOn: t2 };
const deactivated = { ...baseRecord, active: false, modifiedOn: t2 };
const deletedAt = '2025-01-20T00:00:00.000000Z';
/** What ST answered when the local delete was pushed (`active: false`), kept as data and base. */
const pushedDelete = { ...baseRecord, active: false, modifiedOn: t2 };
const deleteAgreed = (overrides: Partial<LocalRow> = {}) =>
  rowOf({
    data: pushedDelete,
    base: pushedDelete,
    deletedAt,
    stModifiedOn: `${t2.slice(0, 26)}Z`,
    ...overrides,
  });

interface Case {
  name: string;
  observed: ReturnType<typeof observedOf>;
  row: LocalRow | undefined;
  options?: DecideOptions;
  expected: Partial<Decision> & { action: Decision['action'] };
  fieldDiff?: string[];
}

const cases: Case[] = [
  {
    name: 'no row → create',
    observed: observedOf(edited),
    row: undefined,
    expected: { action: 'create', record: edited },
  },
  {
    name: 'no row, ST deleted it → skip',
    observed: observedOf(deactivated, { deleted: true }),
    row: undefined,
    expected: { action: 'skip' },
  },
  {
    name: 'same hash → skip',
    observed: observedOf(baseRecord, { hash: hashA }),
    row: rowOf(),
    expected: { action: 'skip' },
  },
  {
    name: 'older than the row (late message) → skip',
    observed: observedOf(edited),
    row: rowOf({ data: { ...baseRecord, modifiedOn: t3 } }),
    expected: { action: 'skip' },
  },
  {
    name: 'older than the row in another spelling → skip',
    observed: observedOf(edited),
    row: rowOf({ data: { ...baseRecord, modifiedOn: '2025-03-01T00:00:00Z' } }),
    expected: { action: 'skip' },
  },
  {
    name: 'engine soft-deleted, ST lists it again unchanged → update (restore)',
    observed: observedOf(baseRecord, { hash: hashA }),
    row: rowOf({ deletedAt }),
    expected: { action: 'update', record: baseRecord, changedFields: [] },
  },
  {
    name: 'locally soft-deleted, ST unchanged → skip (the deletion waits to be pushed)',
    observed: observedOf(baseRecord, { hash: hashA }),
    row: pendingRow(baseRecord, { deletedAt }),
    expected: { action: 'skip' },
  },
  {
    name: 'ST deleted it without changing its content → delete',
    observed: observedOf(baseRecord, { hash: hashA, deleted: true }),
    row: rowOf(),
    expected: { action: 'delete' },
  },
  {
    name: 'synced, ST changed → update with changed fields',
    observed: observedOf(edited),
    row: rowOf(),
    expected: { action: 'update', record: edited, changedFields: ['price'] },
  },
  {
    name: 'synced, ST touched it only (modifiedOn) → update with no changed fields',
    observed: observedOf({ ...baseRecord, modifiedOn: t2 }),
    row: rowOf(),
    expected: { action: 'update', changedFields: [] },
  },
  {
    name: 'synced, ST deleted it → delete',
    observed: observedOf(deactivated, { deleted: true }),
    row: rowOf(),
    expected: { action: 'delete' },
  },
  {
    name: 'synced and already deleted by the engine, ST deleted it → skip',
    observed: observedOf(deactivated, { deleted: true }),
    row: rowOf({ deletedAt }),
    expected: { action: 'skip' },
  },
  {
    name: 'synced, ST deactivated it → update',
    observed: observedOf(deactivated),
    row: rowOf(),
    expected: { action: 'update', changedFields: ['active'] },
  },
  {
    name: 'local edit + disjoint ST edit → merge',
    observed: observedOf(edited),
    row: pendingRow({ ...baseRecord, code: 'CU-12B' }),
    expected: {
      action: 'merge',
      local: { ...baseRecord, code: 'CU-12B', price: 14, modifiedOn: t2 },
      changedFields: ['price'],
    },
  },
  {
    name: 'local edit + the same edit in ST → merge (no conflict)',
    observed: observedOf(edited),
    row: pendingRow({ ...baseRecord, price: 14, code: 'X' }),
    expected: { action: 'merge', changedFields: [] },
  },
  {
    name: 'local edit undone + ST edit → update',
    observed: observedOf(edited),
    row: pendingRow(baseRecord),
    expected: { action: 'update', changedFields: ['price'] },
  },
  {
    name: 'both changed price differently → conflict both_modified',
    observed: observedOf(edited),
    row: pendingRow({ ...baseRecord, price: 15 }),
    expected: {
      action: 'conflict',
      conflictType: 'both_modified',
      fieldDiff: { price: { base: 12.5, st: 14, local: 15 } },
      local: { ...baseRecord, price: 15 },
      record: edited,
    },
  },
  {
    name: 'both_modified with keep_st → carries autoResolve',
    observed: observedOf(edited),
    row: pendingRow({ ...baseRecord, price: 15 }),
    options: { resolveConflicts: 'keep_st' },
    expected: { action: 'conflict', conflictType: 'both_modified', autoResolve: 'keep_st' },
  },
  {
    name: 'both_modified with keep_local → carries autoResolve',
    observed: observedOf(edited),
    row: pendingRow({ ...baseRecord, price: 15 }),
    options: { resolveConflicts: 'keep_local' },
    expected: { action: 'conflict', autoResolve: 'keep_local' },
  },
  {
    name: 'local soft delete + ST edit → conflict local_deleted_st_modified',
    observed: observedOf(edited),
    row: pendingRow(baseRecord, { deletedAt }),
    expected: { action: 'conflict', conflictType: 'local_deleted_st_modified' },
    fieldDiff: ['price'],
  },
  {
    name: 'local soft delete + ST touch only → skip',
    observed: observedOf({ ...baseRecord, modifiedOn: t2 }),
    row: pendingRow(baseRecord, { deletedAt }),
    expected: { action: 'skip' },
  },
  {
    name: 'local soft delete + ST deactivation → skip (both sides agree; the deletion is pushed)',
    observed: observedOf(deactivated),
    row: pendingRow(baseRecord, { deletedAt }),
    expected: { action: 'skip' },
  },
  {
    name: 'local soft delete + ST deactivation and another edit → conflict local_deleted_st_modified',
    observed: observedOf({ ...deactivated, price: 20 }),
    row: pendingRow(baseRecord, { deletedAt }),
    expected: { action: 'conflict', conflictType: 'local_deleted_st_modified' },
  },
  {
    name: 'local soft delete + ST deletion → delete',
    observed: observedOf(deactivated, { deleted: true }),
    row: pendingRow(baseRecord, { deletedAt }),
    expected: { action: 'delete' },
  },
  {
    name: 'ST deletion + local edit → conflict st_deleted_local_modified',
    observed: observedOf(deactivated, { deleted: true }),
    row: pendingRow({ ...baseRecord, price: 15 }),
    expected: { action: 'conflict', conflictType: 'st_deleted_local_modified' },
    fieldDiff: ['active', 'price'],
  },
  {
    name: 'ST deactivation + local edit → conflict st_deleted_local_modified',
    observed: observedOf(deactivated),
    row: pendingRow({ ...baseRecord, price: 15 }),
    expected: { action: 'conflict', conflictType: 'st_deleted_local_modified' },
    fieldDiff: ['active', 'price'],
  },
  {
    name: 'ST deactivation + the same local deactivation → merge',
    observed: observedOf(deactivated),
    row: pendingRow({ ...baseRecord, active: false }),
    expected: { action: 'merge' },
  },
  {
    name: 'ST deletion + no local change left → delete',
    observed: observedOf(deactivated, { deleted: true }),
    row: pendingRow(baseRecord),
    expected: { action: 'delete' },
  },
  {
    name: 'open conflict, ST unchanged → skip',
    observed: observedOf(edited, { hash: hashA }),
    row: pendingRow({ ...baseRecord, price: 15 }, { hasConflict: true, syncStatus: 'conflict' }),
    expected: { action: 'skip' },
  },
  {
    name: 'open conflict, ST changed again → conflict with the new ST version',
    observed: observedOf({ ...baseRecord, price: 16, modifiedOn: t3 }),
    row: pendingRow({ ...baseRecord, price: 15 }, { hasConflict: true, syncStatus: 'conflict' }),
    expected: {
      action: 'conflict',
      conflictType: 'both_modified',
      fieldDiff: { price: { base: 12.5, st: 16, local: 15 } },
    },
  },
  {
    name: 'open conflict, ST now agrees with local → still a conflict (refreshed)',
    observed: observedOf({ ...baseRecord, price: 15, modifiedOn: t3 }),
    row: pendingRow({ ...baseRecord, price: 15 }, { hasConflict: true, syncStatus: 'conflict' }),
    options: { resolveConflicts: 'keep_st' },
    expected: { action: 'conflict', conflictType: 'both_modified', autoResolve: 'keep_st' },
    fieldDiff: ['price'],
  },
  {
    name: 'local delete ST took, the export feed lists it inactive unchanged → skip (stays deleted)',
    observed: observedOf(pushedDelete, { hash: hashA }),
    row: deleteAgreed(),
    expected: { action: 'skip' },
  },
  {
    name: 'local delete ST took, ST lists it inactive with another hash → skip (stays deleted)',
    observed: observedOf({ ...pushedDelete, modifiedOn: t3 }),
    row: deleteAgreed(),
    expected: { action: 'skip' },
  },
  {
    name: 'local delete ST took, ST now reports the item gone → skip',
    observed: observedOf({ ...pushedDelete, modifiedOn: t3 }, { deleted: true }),
    row: deleteAgreed(),
    expected: { action: 'skip' },
  },
  {
    name: 'local delete ST took, a later ST edit re-activates it → update (restore)',
    observed: observedOf({ ...baseRecord, price: 20, modifiedOn: t3 }),
    row: deleteAgreed(),
    expected: { action: 'update', changedFields: ['active', 'price'] },
  },
  {
    name: 'local delete ST took, an active version older than the delete arrives late → skip',
    observed: observedOf({ ...baseRecord, modifiedOn: t1 }),
    row: deleteAgreed(),
    expected: { action: 'skip' },
  },
  {
    name: 'engine soft-deleted while live, ST lists it inactive again → update (restore as inactive)',
    observed: observedOf(deactivated),
    row: rowOf({ deletedAt }),
    expected: { action: 'update', changedFields: ['active'] },
  },
  {
    name: 'open conflict that took in a newer ST version, an older ST version arrives late → skip',
    observed: observedOf(edited),
    row: pendingRow(
      { ...baseRecord, price: 15 },
      { hasConflict: true, syncStatus: 'conflict', stModifiedOn: '2025-03-01T00:00:00.000000Z' },
    ),
    expected: { action: 'skip' },
  },
  {
    name: 'local edit, ST version older than the last one taken in arrives late → skip',
    observed: observedOf(edited),
    row: pendingRow({ ...baseRecord, code: 'X' }, { stModifiedOn: '2025-03-01T00:00:00.000000Z' }),
    expected: { action: 'skip' },
  },
  {
    name: 'the version the row holds, read back from st_modified_on rounded up → not older',
    observed: observedOf({ ...baseRecord, price: 14, modifiedOn: '2025-02-01T00:00:00.1234567Z' }),
    row: rowOf({ stModifiedOn: '2025-02-01T00:00:00.123457Z' }),
    expected: { action: 'update', changedFields: ['price'] },
  },
  {
    name: 'a newer version within the microsecond st_modified_on was rounded to → not older',
    observed: observedOf({ ...baseRecord, price: 14, modifiedOn: '2025-02-01T00:00:00.1234569Z' }),
    row: rowOf({ stModifiedOn: '2025-02-01T00:00:00.123457Z' }),
    expected: { action: 'update', changedFields: ['price'] },
  },
  {
    name: 'a version a whole microsecond before st_modified_on → skip',
    observed: observedOf({ ...baseRecord, price: 14, modifiedOn: '2025-02-01T00:00:00.1234559Z' }),
    row: rowOf({ stModifiedOn: '2025-02-01T00:00:00.123457Z' }),
    expected: { action: 'skip' },
  },
  {
    name: 'open conflict, late ST message → skip',
    observed: observedOf(edited),
    row: pendingRow({ ...baseRecord, price: 15, modifiedOn: t3 }, { hasConflict: true }),
    expected: { action: 'skip' },
  },
  {
    name: 'a local edit without a base → differing fields conflict',
    observed: observedOf(edited),
    row: pendingRow({ ...baseRecord, price: 15 }, { base: null }),
    expected: { action: 'conflict', conflictType: 'both_modified' },
    fieldDiff: ['price'],
  },
];

describe('decide', () => {
  it.each(cases)('$name', ({ observed, row, options, expected, fieldDiff }) => {
    const decision = decide(observed, row, options ?? manual);
    expect(decision).toMatchObject(expected);
    if (fieldDiff) expect(Object.keys(decision.fieldDiff ?? {}).sort()).toEqual(fieldDiff);
    if (decision.action === 'conflict' && !(options ?? manual).resolveConflicts.startsWith('keep')) {
      expect(decision.autoResolve).toBeUndefined();
    }
    // Every decision is a valid message payload.
    expect(RecordDecidedData.safeParse(decision).success).toBe(true);
  });

  it('carries the row it was made against on every decision about an existing row', () => {
    const row = pendingRow({ ...baseRecord, code: 'Z' });
    for (const observed of [observedOf(edited), observedOf(baseRecord, { hash: hashA })]) {
      const d = decide(observed, row, manual);
      expect(d).toMatchObject({
        recordId,
        hash: observed.hash,
        base: baseRecord,
        modifiedOn: observed.modifiedOn,
        expected: { version: 3, contentHash: hashA, localModifiedAt: row.localModifiedAt },
      });
    }
  });

  it('names no row on a create', () => {
    const d = decide(observedOf(edited), undefined, manual);
    expect(d.recordId).toBeUndefined();
    expect(d.expected).toBeUndefined();
    expect(d.hash).toBe(hashB);
  });

  it('ignores the computed cost of a service', () => {
    const service = { ...baseRecord, cost: 100 };
    const observed = observedOf({ ...service, cost: 120, modifiedOn: t2 }, { entity: 'services' });
    const d = decide(
      observed,
      pendingRow(
        { ...service, cost: 90, code: 'S' },
        { base: service, data: { ...service, cost: 90, code: 'S' } },
      ),
      manual,
    );
    expect(d.action).toBe('merge');
    expect(d.local).toMatchObject({ cost: 120, code: 'S' });
  });
});
