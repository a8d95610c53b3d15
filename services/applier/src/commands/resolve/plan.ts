import type { ResolveCommandData } from '@pricebook/contracts';
import { diffFields, diffOptionsFor, mergeResolution, sameValue, settleThreeWay } from '@pricebook/merge';
import type { LockedConflict, LockedRow } from './load';

type Json = Record<string, unknown>;

/** The row write of a resolution; `data`/`base` undefined keep the row's value. */
export interface RowChange {
  data?: Json;
  base?: Json | null;
  status: 'synced' | 'pending_sync';
  /** true soft-deletes, false restores, undefined keeps. */
  deleted?: boolean;
}

/**
 * What a resolve command does to a locked conflict and its row:
 * - `done`: the conflict is no longer unresolved (a repeat, or someone settled it first);
 * - `apply`: the person's strategy, as asked;
 * - `reopen`: the row moved and the sides still disagree: the conflict is superseded by a new one
 *   showing the current versions, for a person to look at again;
 * - `dissolve`: the row moved and the sides no longer disagree: superseded, and the three-way
 *   merge of the current versions is written;
 * - `refuse`: the command cannot apply to this conflict (terminated with the reason).
 */
export type ResolvePlan =
  | { kind: 'done' }
  | { kind: 'apply'; change: RowChange; resolvedData: Json | null }
  | { kind: 'reopen'; st: Json | null; local: Json; fieldDiff: Json | null }
  | { kind: 'dissolve'; change: RowChange; st: Json }
  | { kind: 'refuse'; reason: string };

const statusAgainst = (data: Json, st: Json, entity: LockedConflict['entity']) =>
  diffFields(data, st, diffOptionsFor(entity)).length === 0 ? 'synced' : 'pending_sync';

/** Whether the local side changed since the conflict recorded it (content or deletion). */
function localMoved(conflict: LockedConflict, row: LockedRow): boolean {
  const deletedThen = conflict.conflictType === 'local_deleted_st_modified';
  return row.deleted !== deletedThen || !sameValue(row.data, conflict.localVersion);
}

/** The row moved: judge the current versions again instead of applying a choice made about others. */
function reevaluate(conflict: LockedConflict, row: LockedRow): ResolvePlan {
  // ST's side is known when the conflict still holds it, or when the engine wrote it as the base.
  let st: Json | null = conflict.stVersion;
  if (row.stMoved) st = row.baseIsCurrentSt ? row.base : null;
  if (!st || row.deleted || conflict.conflictType !== 'both_modified') {
    return { kind: 'reopen', st: st ?? conflict.stVersion, local: row.data, fieldDiff: conflict.fieldDiff };
  }
  const result = settleThreeWay({
    entity: conflict.entity,
    base: conflict.baseVersion,
    st,
    local: row.data,
    settle: 'open',
  });
  if (Object.keys(result.open).length > 0) {
    return { kind: 'reopen', st, local: row.data, fieldDiff: result.open as Json };
  }
  const data = result.record;
  return {
    kind: 'dissolve',
    st,
    change: { data, base: st, status: statusAgainst(data, st, conflict.entity) },
  };
}

function apply(conflict: LockedConflict, row: LockedRow, cmd: ResolveCommandData): ResolvePlan {
  const st = conflict.stVersion;
  switch (cmd.strategy) {
    case 'keep_st':
      // ST deleted the record: keeping ST's side is the deletion.
      if (!st) return { kind: 'apply', change: { status: 'synced', deleted: true }, resolvedData: null };
      return {
        kind: 'apply',
        change: { data: st, base: st, status: 'synced', deleted: false },
        resolvedData: st,
      };
    case 'keep_local': {
      if (conflict.conflictType === 'both_modified' && st && !row.deleted) {
        // The local side wins the disputed fields only: ST's other changes stay, and with ST's
        // version as the base the push sends just what the local side owns.
        const data = settleThreeWay({
          entity: conflict.entity,
          base: conflict.baseVersion,
          st,
          local: row.data,
          settle: 'local',
        }).record;
        // Only ST's own bookkeeping (modifiedOn…) differs: no content change to write or announce.
        const same = diffFields(row.data, data, diffOptionsFor(conflict.entity)).length === 0;
        return {
          kind: 'apply',
          change: { ...(same ? {} : { data }), base: st, status: statusAgainst(data, st, conflict.entity) },
          resolvedData: same ? row.data : data,
        };
      }
      return {
        kind: 'apply',
        // The local version (or delete) stays whole and is pushed; ST's version becomes its base.
        change: st ? { base: st, status: 'pending_sync' } : { status: 'pending_sync' },
        resolvedData: row.deleted ? null : row.data,
      };
    }
    case 'merge': {
      if (conflict.conflictType !== 'both_modified' || !st || row.deleted) {
        return { kind: 'refuse', reason: `merge does not apply to a ${conflict.conflictType} conflict` };
      }
      const merged = mergeResolution(
        {
          entity: conflict.entity,
          st,
          local: row.data,
          base: conflict.baseVersion,
          fieldDiff: conflict.fieldDiff,
        },
        { fields: cmd.fields, values: cmd.values },
      );
      if (!merged.ok) {
        const what = merged.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
        return { kind: 'refuse', reason: `merge refused: ${what}` };
      }
      const data = merged.data;
      return {
        kind: 'apply',
        change: { data, base: st, status: statusAgainst(data, st, conflict.entity) },
        resolvedData: data,
      };
    }
  }
}

/**
 * Decides what a resolve command does to the locked conflict and row (see {@link ResolvePlan}).
 * A repeat of a settled command finds the conflict resolved and does nothing.
 *
 * @example
 * const plan = planResolution(conflict, row, { conflictId, strategy: 'keep_st', resolvedBy: 'ana' });
 */
export function planResolution(
  conflict: LockedConflict,
  row: LockedRow | undefined,
  cmd: ResolveCommandData,
): ResolvePlan {
  if (conflict.status !== 'unresolved') return { kind: 'done' };
  if (!row)
    return { kind: 'refuse', reason: `the record ${conflict.recordId} of this conflict no longer exists` };
  if (localMoved(conflict, row) || row.stMoved) return reevaluate(conflict, row);
  return apply(conflict, row, cmd);
}
