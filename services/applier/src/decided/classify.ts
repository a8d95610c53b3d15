import { compareStTimestamps, normalizeStTimestamp, type RecordDecidedData } from '@pricebook/contracts';
import type { SyncItemAction } from '@pricebook/db';
import type { RowState } from '../sql/rows';

/** What a decision does to its row once it passes the guards. */
export type WriteOp = 'create' | 'update' | 'delete' | 'merge' | 'conflict' | 'keep_st' | 'keep_local';

/**
 * The judgement of one decision against the row as it is now:
 * - `write`: apply it, and account for it in the ledger as `ledger`;
 * - `account`: change no row, only account for it (skip, quarantine, a repeat, an older version);
 * - `stale`: the row moved since the comparator saw it: compare the record again.
 */
export type Outcome =
  | { kind: 'write'; op: WriteOp; ledger: SyncItemAction }
  | { kind: 'account'; ledger: SyncItemAction; why: AccountReason }
  | { kind: 'stale'; version: number; why: 'row_moved' | 'row_appeared' | 'row_missing' };

export type AccountReason = 'skip' | 'quarantine' | 'already_applied' | 'outdated' | 'nothing_to_delete';

/** Decisions that read or write a pricebook row (the others only touch the ledger). */
export function touchesRow(action: RecordDecidedData['action']): boolean {
  return action !== 'skip' && action !== 'quarantine';
}

/** ST's `modifiedOn` of the decided record, normalised. */
export function decisionModifiedOn(d: RecordDecidedData): string | undefined {
  if (d.modifiedOn) return d.modifiedOn;
  const raw = d.record?.modifiedOn;
  return typeof raw === 'string' ? normalizeStTimestamp(raw) : undefined;
}

/** Whether a conflict (or its resolution) is about a record ST deleted. */
export function stDeleted(d: RecordDecidedData): boolean {
  return d.action === 'delete' || d.conflictType === 'st_deleted_local_modified';
}

/**
 * Why a decision cannot be applied at all (a bug upstream), or undefined when it is complete.
 *
 * @example
 * decisionProblem({ ...d, action: 'update', record: undefined }); // 'update without record or hash'
 */
export function decisionProblem(d: RecordDecidedData): string | undefined {
  const needsRecord =
    d.action === 'create' ||
    d.action === 'update' ||
    d.action === 'merge' ||
    (d.action === 'conflict' && d.autoResolve === 'keep_st' && !stDeleted(d));
  if (needsRecord && (!d.record || !d.hash)) return `${d.action} without record or hash`;
  if (d.action === 'merge' && !d.local) return 'merge without the merged record (local)';
  if (d.action === 'quarantine' && !d.invalid) return 'quarantine without invalid.reason/key';
  return undefined;
}

function account(ledger: SyncItemAction, why: AccountReason): Outcome {
  return { kind: 'account', ledger, why };
}

/** The row already shows what the decision asks for: a redelivery, or another sync got there first. */
function alreadyApplied(d: RecordDecidedData, row: RowState): boolean {
  if (d.action === 'delete') return row.deleted;
  if (d.hash === undefined || row.contentHash !== d.hash) return false;
  switch (d.action) {
    case 'create':
    case 'update':
      return !row.deleted;
    case 'merge':
      return true;
    case 'conflict':
      return d.autoResolve ? !row.hasConflict : row.hasConflict;
    default:
      return false;
  }
}

/** The row holds a newer ST version than the decision (an older version arriving late). */
function outdated(d: RecordDecidedData, row: RowState): boolean {
  // A deletion is final in ST (a re-created record gets a new id), so it is never older.
  if (stDeleted(d) || !row.baseModifiedOn) return false;
  const incoming = decisionModifiedOn(d);
  if (!incoming) return false;
  try {
    return compareStTimestamps(row.baseModifiedOn, incoming) > 0;
  } catch {
    return false;
  }
}

function sameInstant(ms: number | null, iso: string | null): boolean {
  if (ms === null || iso === null) return ms === null && iso === null;
  return ms === Date.parse(iso);
}

/** The row is still the one the comparator judged. */
function guardHolds(d: RecordDecidedData, row: RowState): boolean {
  const expected = d.expected;
  if (expected?.version !== undefined) return row.version === expected.version;
  if (expected) {
    return (
      row.contentHash === expected.contentHash && sameInstant(row.localModifiedAt, expected.localModifiedAt)
    );
  }
  // A decision that says nothing about the row it saw may only overwrite a row without local edits.
  const overwrites =
    d.action === 'update' ||
    d.action === 'delete' ||
    (d.action === 'conflict' && d.autoResolve === 'keep_st');
  return !overwrites || (row.syncStatus === 'synced' && !row.hasConflict);
}

/**
 * Judges one decision against the locked row (undefined: no row with that ST id). Repeats and
 * older versions are accounted for without a write; a decision whose row moved is sent back.
 *
 * @example
 * classify(decision, rows.get(decision.stId)); // { kind: 'write', op: 'update', ledger: 'update' }
 */
export function classify(d: RecordDecidedData, row: RowState | undefined): Outcome {
  if (d.action === 'skip') return account('skip', 'skip');
  if (d.action === 'quarantine') return account('quarantine', 'quarantine');
  if (!row) {
    if (d.action === 'create') return { kind: 'write', op: 'create', ledger: 'create' };
    if (stDeleted(d)) return account('skip', 'nothing_to_delete');
    return { kind: 'stale', version: 0, why: 'row_missing' };
  }
  if (alreadyApplied(d, row)) return account('skip', 'already_applied');
  if (outdated(d, row)) return account('skip', 'outdated');
  if (d.action === 'create') return { kind: 'stale', version: row.version, why: 'row_appeared' };
  if (!guardHolds(d, row)) return { kind: 'stale', version: row.version, why: 'row_moved' };
  switch (d.action) {
    case 'update':
      return { kind: 'write', op: 'update', ledger: 'update' };
    case 'delete':
      return { kind: 'write', op: 'delete', ledger: 'delete' };
    case 'merge':
      return { kind: 'write', op: 'merge', ledger: 'merge' };
    default: {
      const op = d.autoResolve ?? 'conflict';
      return { kind: 'write', op, ledger: 'conflict' };
    }
  }
}
