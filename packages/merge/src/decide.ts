import type {
  ConflictStrategy,
  ConflictType,
  RecordDecidedData,
  RecordObservedData,
} from '@pricebook/contracts';
import { diffFields, type StFields, sameValue } from './fields';
import { settleThreeWay } from './policy';
import { olderThanSeen } from './st-version';
import { diffOptionsFor, type FieldConflict } from './three-way';

/** The local row a decision is made against: the columns of a pricebook table that matter. */
export interface LocalRow {
  /** Local id (uuid). */
  id: string;
  /** The local record (`data`), in ST camelCase. */
  data: StFields;
  /** The base snapshot (`base`): the record as both sides last agreed. */
  base: StFields | null;
  /** Hash of the ST record last seen (`content_hash`). */
  contentHash: string | null;
  syncStatus: 'synced' | 'pending_sync' | 'conflict';
  /** An unresolved conflict exists (`has_conflict`). */
  hasConflict: boolean;
  /** Soft delete (`deleted_at`), ISO string; `null` when live. */
  deletedAt: string | null;
  /** The row's `version`. */
  version: number;
  /** `local_modified_at`, ISO string. */
  localModifiedAt: string | null;
  /**
   * `st_modified_on`: the newest ST version the row has taken in (ISO, microseconds). It moves
   * with every ST write, conflicts included, while `data.modifiedOn` of a row with a local edit or
   * an open conflict stays at the version the local side started from.
   */
  stModifiedOn?: string | null;
}

export interface DecideOptions {
  /** The sync's `resolveConflicts`: `keep_st`/`keep_local` settle a conflict at once, `manual` queues it. */
  resolveConflicts: ConflictStrategy;
}

/** One decision: the data of a `record.decided` message. */
export type Decision = RecordDecidedData;

type FieldDiff = Record<string, FieldConflict>;

/**
 * What the applier must do with one observed ST record, given the local row with that ST id
 * (or none). Pure: the same inputs always give the same decision. The rules, in order:
 *
 * 1. no row: `create`; a record ST no longer has: `skip`;
 * 2. observed `modifiedOn` older than the newest ST version the row has taken in (`data.modifiedOn`
 *    or `stModifiedOn`; see {@link olderThanSeen}): `skip` (a late or repeated message). An equal
 *    `modifiedOn` is not older: ST stamps can tie, and the content hash then tells;
 * 3. the row has an open conflict: ST changed again (hash ≠ `content_hash`) → `conflict` with
 *    the new ST version, else `skip`;
 * 4. a deletion ST has taken (see {@link deletionAgreed}): ST showing the item inactive or gone
 *    is that deletion, `skip`; ST showing it active again is a later ST edit (a re-activation
 *    newer than the agreed deletion, rule 2): `update`, which restores the row with ST's record;
 * 5. same hash as `content_hash`: `skip`, except a row the engine soft-deleted that ST lists
 *    again (`update`, a restore) and a record ST deleted without changing it (carry on to 6/7);
 * 6. row `synced`: `update` (`changedFields` vs `data`), or `delete` when ST no longer has it;
 * 7. row with a local edit: three-way against `base` (see {@link reconcileLocalEdit}).
 *
 * Every decision on an existing row carries `recordId`, `expected` (version, content hash,
 * local modification time), `base` and `hash`.
 *
 * @example
 * const d = decide(observed.data, row, { resolveConflicts: 'manual' });
 * if (d.action === 'skip') return;
 */
export function decide(
  observed: RecordObservedData,
  row: LocalRow | undefined,
  options: DecideOptions,
): Decision {
  const head = {
    syncLogId: observed.syncLogId,
    entity: observed.entity,
    stId: observed.stId,
    hash: observed.hash,
    modifiedOn: observed.modifiedOn,
  };
  if (!row) {
    return observed.deleted
      ? { ...head, action: 'skip' }
      : { ...head, action: 'create', record: observed.record };
  }
  const against = {
    ...head,
    recordId: row.id,
    base: row.base,
    expected: { version: row.version, contentHash: row.contentHash, localModifiedAt: row.localModifiedAt },
  };
  const seen = { modifiedOn: row.data.modifiedOn, column: row.stModifiedOn };
  if (olderThanSeen(observed.modifiedOn, seen)) return { ...against, action: 'skip' };

  const stMoved = observed.hash !== row.contentHash;
  if (row.hasConflict) {
    return stMoved ? refreshConflict(observed, row, against, options) : { ...against, action: 'skip' };
  }
  const diffOptions = diffOptionsFor(observed.entity);
  if (deletionAgreed(row)) {
    if (observed.deleted || observed.record.active === false) return { ...against, action: 'skip' };
    const changedFields = diffFields(row.data, observed.record, diffOptions);
    return { ...against, action: 'update', record: observed.record, changedFields };
  }
  const engineDeleted = row.deletedAt !== null && row.syncStatus === 'synced';
  if (!stMoved) {
    if (engineDeleted && !observed.deleted) {
      const changedFields = diffFields(row.data, observed.record, diffOptions);
      return { ...against, action: 'update', record: observed.record, changedFields };
    }
    // A deletion is news even when the record's last state hashes the same.
    const newDeletion = observed.deleted === true && row.deletedAt === null;
    if (!newDeletion) return { ...against, action: 'skip' };
  }
  if (row.syncStatus === 'synced') {
    if (observed.deleted) {
      return engineDeleted
        ? { ...against, action: 'skip' }
        : { ...against, action: 'delete', record: observed.record };
    }
    const changedFields = diffFields(row.data, observed.record, diffOptions);
    return { ...against, action: 'update', record: observed.record, changedFields };
  }
  return reconcileLocalEdit(observed, row, against, options);
}

type Against = Omit<Decision, 'action'>;

/**
 * ST changed a row that has a local edit: three-way against the base.
 *
 * - local soft delete + ST deletion: `delete` (both agree); + an ST edit: conflict
 *   `local_deleted_st_modified`; + nothing but volatile fields or a deactivation (what the push
 *   of the delete would do): `skip`;
 * - ST deletion or deactivation (`active` true → false vs base) + a local edit that differs from
 *   ST: conflict `st_deleted_local_modified`;
 * - a field both changed to different values: conflict `both_modified` with `fieldDiff`;
 * - no local change left (the edit was undone): `update`, or `delete` if ST deleted it;
 * - otherwise `merge`, the merged record in `local` (the row stays pending; its local part is
 *   pushed later).
 */
function reconcileLocalEdit(
  observed: RecordObservedData,
  row: LocalRow,
  against: Against,
  options: DecideOptions,
): Decision {
  const st = observed.record;
  const local = row.data;
  const base = row.base ?? {};
  const diffOptions = diffOptionsFor(observed.entity);
  // Disputes stay open here: the sync's strategy travels as `autoResolve` and the applier settles.
  const tw = settleThreeWay({ entity: observed.entity, base: row.base, st, local, settle: 'open' });
  const conflict = (type: ConflictType, fieldDiff: FieldDiff): Decision => ({
    ...against,
    action: 'conflict',
    conflictType: type,
    record: st,
    local,
    fieldDiff,
    ...autoResolve(options),
  });

  if (row.deletedAt !== null) {
    if (observed.deleted) return { ...against, action: 'delete', record: st };
    // A local delete is pushed as `active: false`: ST deactivating the item agrees with it.
    const stEdits = tw.stChanged.filter((field) => !(field === 'active' && st.active === false));
    if (stEdits.length === 0) return { ...against, action: 'skip' };
    return conflict('local_deleted_st_modified', fieldDiffOf(tw.stChanged, base, st, local));
  }
  const localOnly = tw.localChanged.filter((field) => !sameValue(local[field], st[field]));
  const stDeactivated = base.active === true && st.active === false;
  if ((observed.deleted || stDeactivated) && localOnly.length > 0) {
    const fields = [...new Set([...localOnly, ...(stDeactivated ? ['active'] : [])])].sort();
    return conflict('st_deleted_local_modified', fieldDiffOf(fields, base, st, local));
  }
  if (observed.deleted) return { ...against, action: 'delete', record: st };
  if (Object.keys(tw.open).length > 0) return conflict('both_modified', tw.open);
  // Nothing local is left to keep (the edit was undone): the row simply follows ST.
  if (tw.localChanged.length === 0) {
    return { ...against, action: 'update', record: st, changedFields: diffFields(local, st, diffOptions) };
  }
  return {
    ...against,
    action: 'merge',
    record: st,
    local: tw.record,
    changedFields: diffFields(local, tw.record, diffOptions),
  };
}

/**
 * A row with an open conflict that ST changed again: the conflict is raised again with the new
 * ST version (the applier refreshes the open one). Its type and fields come from the three-way
 * rules; where those would no longer see a conflict, the fields either side changed are shown.
 */
function refreshConflict(
  observed: RecordObservedData,
  row: LocalRow,
  against: Against,
  options: DecideOptions,
): Decision {
  const again = reconcileLocalEdit(observed, row, against, options);
  if (again.action === 'conflict') return again;
  const st = observed.record;
  const local = row.data;
  const base = row.base ?? {};
  const tw = settleThreeWay({ entity: observed.entity, base: row.base, st, local, settle: 'open' });
  const type: ConflictType =
    row.deletedAt !== null
      ? 'local_deleted_st_modified'
      : observed.deleted
        ? 'st_deleted_local_modified'
        : 'both_modified';
  const fields = [...new Set([...tw.stChanged, ...tw.localChanged])].sort();
  return {
    ...against,
    action: 'conflict',
    conflictType: type,
    record: st,
    local,
    fieldDiff: fieldDiffOf(fields, base, st, local),
    ...autoResolve(options),
  };
}

function fieldDiffOf(fields: readonly string[], base: StFields, st: StFields, local: StFields): FieldDiff {
  const out: FieldDiff = {};
  for (const field of fields) {
    out[field] = { base: base[field] ?? null, st: st[field] ?? null, local: local[field] ?? null };
  }
  return out;
}

function autoResolve(options: DecideOptions): Pick<Decision, 'autoResolve'> {
  return options.resolveConflicts === 'manual' ? {} : { autoResolve: options.resolveConflicts };
}

/**
 * A soft-deleted row whose deletion both sides agree on: `synced`, and its base snapshot (what
 * ST answered when the local delete was pushed, or adopted when ST had already deactivated it)
 * is inactive. ServiceTitan has no deleted state it can show for an item that still exists:
 * `active: false` *is* the local delete as ST holds it, in lists, by-id reads and the export feed.
 * A row the engine deleted because ST no longer has the item keeps its last live base, so ST
 * listing it again stays news (rule 5). A hard-deleted push keeps its live base too, and ST then
 * reports the item gone (`deleted`), which rule 6 takes as already done.
 */
function deletionAgreed(row: LocalRow): boolean {
  return row.deletedAt !== null && row.syncStatus === 'synced' && row.base?.active === false;
}
