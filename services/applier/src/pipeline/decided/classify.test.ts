import type { RecordDecidedData } from '@pricebook/contracts';
import { describe, expect, it } from 'vitest';
import type { RowState } from '../../sql/rows';
import { classify, decisionProblem } from './classify';
import { fieldChanges } from './plan';

const T1 = '2025-12-01T10:00:00.0000001Z';
const T2 = '2025-12-01T10:00:00.0000002Z';

const row = (overrides: Partial<RowState> = {}): RowState => ({
  id: '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d',
  stId: 7,
  version: 3,
  contentHash: 'aaaaaaaaaaaaaaaa',
  syncStatus: 'synced',
  hasConflict: false,
  deleted: false,
  baseModifiedOn: T1,
  localModifiedAt: null,
  ...overrides,
});

const decision = (overrides: Partial<RecordDecidedData>): RecordDecidedData => ({
  syncLogId: '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a',
  entity: 'materials',
  stId: 7,
  action: 'update',
  record: { id: 7, price: 2, modifiedOn: T2 },
  hash: 'bbbbbbbbbbbbbbbb',
  modifiedOn: T2,
  expected: { contentHash: 'aaaaaaaaaaaaaaaa', localModifiedAt: null, version: 3 },
  ...overrides,
});

describe('classify', () => {
  it('writes a decision whose row is still the one the comparator saw', () => {
    expect(classify(decision({}), row())).toEqual({ kind: 'write', op: 'update', ledger: 'update' });
    expect(classify(decision({ action: 'create', expected: undefined }), undefined)).toMatchObject({
      op: 'create',
    });
  });

  it('only accounts for a repeat, an older version, or a deletion of nothing', () => {
    expect(classify(decision({}), row({ contentHash: 'bbbbbbbbbbbbbbbb', version: 4 }))).toMatchObject({
      kind: 'account',
      why: 'already_applied',
    });
    expect(classify(decision({ modifiedOn: T1 }), row({ baseModifiedOn: T2, version: 4 }))).toMatchObject({
      kind: 'account',
      why: 'outdated',
    });
    expect(classify(decision({ action: 'delete' }), undefined)).toMatchObject({ why: 'nothing_to_delete' });
  });

  it('sends back a decision whose row moved, appeared or vanished', () => {
    expect(classify(decision({}), row({ version: 4 }))).toEqual({
      kind: 'stale',
      version: 4,
      why: 'row_moved',
    });
    expect(classify(decision({ action: 'create' }), row())).toMatchObject({
      kind: 'stale',
      why: 'row_appeared',
    });
    expect(classify(decision({}), undefined)).toMatchObject({
      kind: 'stale',
      version: 0,
      why: 'row_missing',
    });
  });

  it('never lets a decision without a row version overwrite a local edit', () => {
    const blind = decision({ expected: undefined });
    expect(classify(blind, row({ syncStatus: 'pending_sync' }))).toMatchObject({ kind: 'stale' });
    expect(classify(blind, row())).toMatchObject({ kind: 'write' });
  });

  it('maps conflicts to their strategy', () => {
    expect(classify(decision({ action: 'conflict' }), row())).toMatchObject({
      op: 'conflict',
      ledger: 'conflict',
    });
    expect(classify(decision({ action: 'conflict', autoResolve: 'keep_local' }), row())).toMatchObject({
      op: 'keep_local',
    });
    // A manual conflict already recorded for this ST version is a repeat.
    expect(
      classify(decision({ action: 'conflict' }), row({ contentHash: 'bbbbbbbbbbbbbbbb', hasConflict: true })),
    ).toMatchObject({ kind: 'account', why: 'already_applied' });
  });

  it('never takes in a version older than one the sync or the row already holds', () => {
    const T3 = '2025-12-01T10:00:00.0000003Z';
    // The sync accounted for a newer version (even a skip): an older write arriving late is not applied.
    expect(classify(decision({}), row(), [T3])).toMatchObject({ kind: 'account', why: 'outdated' });
    // An open conflict took in a newer ST version; its base stays at the agreed one.
    expect(
      classify(
        decision({ modifiedOn: '2025-12-01T09:00:00Z' }),
        row({ stModifiedOn: '2025-12-01T10:00:00.000000Z' }),
      ),
    ).toMatchObject({ kind: 'account', why: 'outdated' });
    // The column rounds to the microsecond: the same version read back from it is not older.
    expect(classify(decision({}), row({ stModifiedOn: '2025-12-01T10:00:00.000000Z' }))).toMatchObject({
      kind: 'write',
    });
  });

  it('judges again a skip whose row another version of the record moved since', () => {
    const skip = decision({ action: 'skip', record: undefined });
    expect(classify(skip, row({ version: 4 }), [T1])).toEqual({
      kind: 'stale',
      version: 4,
      why: 'row_moved',
    });
    expect(classify(skip, row(), [T1])).toMatchObject({ kind: 'account', why: 'skip' });
    // The first version of the record in the sync, or a repeat of the same one: no row needed.
    expect(classify(skip, undefined, [])).toMatchObject({ kind: 'account', why: 'skip' });
    expect(classify(skip, row({ version: 4 }), [T2])).toMatchObject({ kind: 'account', why: 'skip' });
  });

  it('names what an incomplete decision lacks', () => {
    expect(decisionProblem(decision({ record: undefined }))).toBe('update without record or hash');
    expect(decisionProblem(decision({ action: 'merge' }))).toBe('merge without the merged record (local)');
    expect(decisionProblem(decision({}))).toBeUndefined();
  });
});

describe('fieldChanges', () => {
  it('lists the differing top-level fields with both values, missing ones as null', () => {
    expect(
      fieldChanges({ a: 1, b: [1, { x: 1, y: 2 }], c: 'same' }, { b: [1, { y: 2, x: 1 }], c: 'same', d: 4 }),
    ).toEqual({
      a: { before: 1, after: null },
      d: { before: null, after: 4 },
    });
  });
});
