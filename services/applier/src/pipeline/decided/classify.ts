import { normalizeStTimestamp, type RecordDecidedData } from '@pricebook/contracts';
import type { SyncItemAction } from '@pricebook/db';
import { olderThanSeen } from '@pricebook/merge';
import type { RowState } from '../../sql/rows';

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

/**
 * The ST version a decision accounts for in the sync's ledger: its `modifiedOn` (the fetcher's
 * version of the record), or `invalid` for a quarantined record (counted once per key, as the
 * fetcher counts them).
 *
 * @example
 * ledgerVersionOf(decision); // '2025-01-02T03:04:05.1234567Z'
 */
export function ledgerVersionOf(d: RecordDecidedData): string {
  if (d.action === 'quarantine') return 'invalid';
  return decisionModifiedOn(d) ?? 'unknown';
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
  if (stDeleted(d)) return false;
  const incoming = decisionModifiedOn(d);
  if (!incoming) return false;
  return olderThanSeen(incoming, { modifiedOn: row.baseModifiedOn, column: row.stModifiedOn ?? null });
}

/**
 * The sync has already accounted for a newer ST version of this record: this one arrived late
 * (redelivered, or judged before the newer one was applied) and must not undo it.
 */
function supersededInSync(d: RecordDecidedData, accounted: readonly string[]): boolean {
  if (stDeleted(d)) return false;
  const incoming = decisionModifiedOn(d);
  if (!incoming) return false;
  return accounted.some((version) => olderThanSeen(incoming, { modifiedOn: version }));
}

/**
 * A skip was judged against the row as the comparator read it. When the sync has accounted for
 * another version of the record since, that row may have moved under it (an older version applied
 * after this newer one was judged): the skip stands only while the row is the one it was judged on.
 */
function skipOf(d: RecordDecidedData, row: RowState | undefined, accounted: readonly string[]): Outcome {
  const own = ledgerVersionOf(d);
  const revisit = accounted.some((version) => version !== own);
  const judged = d.expected?.version;
  if (revisit && row && judged !== undefined && row.version !== judged) {
    return { kind: 'stale', version: row.version, why: 'row_moved' };
  }
  return account('skip', 'skip');
}

/**
 * Whether a decision must be judged against its row: every decision that writes one, and a skip
 * of a record the sync has already accounted for at another version (see {@link skipOf}).
 */
export function needsRow(d: RecordDecidedData, accounted: readonly string[]): boolean {
  if (touchesRow(d.action)) return true;
  const own = ledgerVersionOf(d);
  return d.action === 'skip' && accounted.some((version) => version !== own);
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
 * Judges one decision against the locked row (undefined: no row with that ST id) and the versions
 * of the record the sync has accounted for so far. Repeats and older versions (older than the
 * row's, or than one the sync already took) are accounted for without a write; a decision whose
 * row moved is sent back.
 *
 * @example
 * classify(decision, rows.get(decision.stId), []); // { kind: 'write', op: 'update', ledger: 'update' }
 */
export function classify(
  d: RecordDecidedData,
  row: RowState | undefined,
  accounted: readonly string[] = [],
): Outcome {
  if (d.action === 'skip') return skipOf(d, row, accounted);
  if (d.action === 'quarantine') return account('quarantine', 'quarantine');
  if (!row) {
    if (d.action === 'create') return { kind: 'write', op: 'create', ledger: 'create' };
    if (stDeleted(d)) return account('skip', 'nothing_to_delete');
    return { kind: 'stale', version: 0, why: 'row_missing' };
  }
  if (alreadyApplied(d, row)) return account('skip', 'already_applied');
  if (outdated(d, row) || supersededInSync(d, accounted)) return account('skip', 'outdated');
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
