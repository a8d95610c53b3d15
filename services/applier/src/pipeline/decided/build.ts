import type { RecordDecidedData } from '@pricebook/contracts';
import { diffFields, diffOptionsFor, type Side, settleThreeWay } from '@pricebook/merge';
import type { Delivery } from '@pricebook/messaging';
import type { ConflictInput, ResolvedConflictInput } from '../../sql/conflicts';
import type { RowState } from '../../sql/rows';
import type { CreateRow, RewriteRow } from '../../sql/writes';
import { decisionModifiedOn, type Outcome, stDeleted, type WriteOp } from './classify';

/** One decision with the row it was judged against and the judgement. */
export interface Planned {
  delivery: Delivery<'record.decided'>;
  decision: RecordDecidedData;
  row: RowState | undefined;
  outcome: Outcome;
}

/** The writes of one group, by the origin the triggers must record for them. */
export interface GroupWrites {
  creates: CreateRow[];
  st: RewriteRow[];
  merge: RewriteRow[];
  resolution: RewriteRow[];
}

/**
 * What a `both_modified` conflict settled by the sync's strategy leaves in the row: the three-way
 * result with the disputed fields given to `side`, so ST's changes and the local side's changes
 * that nobody disputed both stay. Undefined for the other conflict types, which keep one side's
 * whole version (a deletion, or an undelete).
 *
 * @example
 * settledData(decision, 'keep_local'); // ST's record + the local edits, local wins disputes
 */
export function settledData(d: RecordDecidedData, strategy: 'keep_st' | 'keep_local') {
  if (d.conflictType !== 'both_modified' || !d.record || !d.local) return undefined;
  const settle: Side = strategy === 'keep_st' ? 'st' : 'local';
  return settleThreeWay({ entity: d.entity, base: d.base ?? null, st: d.record, local: d.local, settle })
    .record;
}

/** pending_sync while the row holds something ST does not have yet. */
function statusAgainstSt(d: RecordDecidedData, data: Record<string, unknown>) {
  return diffFields(data, d.record ?? {}, diffOptionsFor(d.entity)).length === 0
    ? ('synced' as const)
    : ('pending_sync' as const);
}

/** The row's status after an ST write: an open conflict keeps it in conflict. */
const settled = (row: RowState) => (row.hasConflict ? 'conflict' : 'synced');

function stVersion(d: RecordDecidedData) {
  return { hash: d.hash ?? null, modified_on: decisionModifiedOn(d) ?? null };
}

function rewriteOf(d: RecordDecidedData, row: RowState, op: WriteOp): RewriteRow | undefined {
  const guard = { id: row.id, version: row.version };
  switch (op) {
    case 'update':
      return {
        ...guard,
        ...stVersion(d),
        data: d.record,
        base_is_data: true,
        status: settled(row),
        deleted: false,
      };
    case 'delete':
      return { ...guard, hash: d.hash ?? null, status: settled(row), deleted: true };
    case 'merge':
      return { ...guard, ...stVersion(d), data: d.local, base: d.record, status: 'pending_sync' as const };
    case 'conflict':
      // Only bookkeeping: the content stays local, and the ST version seen is remembered so the next
      // sync with no change in ST is quiet.
      return { ...guard, ...stVersion(d), status: 'conflict' as const, has_conflict: true };
    case 'keep_st': {
      const data = settledData(d, 'keep_st');
      if (data) {
        return {
          ...guard,
          ...stVersion(d),
          data,
          base: d.record ?? null,
          status: statusAgainstSt(d, data),
          has_conflict: false,
          deleted: false,
        };
      }
      return stDeleted(d)
        ? { ...guard, hash: d.hash ?? null, status: 'synced' as const, has_conflict: false, deleted: true }
        : {
            ...guard,
            ...stVersion(d),
            data: d.record,
            base_is_data: true,
            status: 'synced' as const,
            has_conflict: false,
            deleted: false,
          };
    }
    case 'keep_local': {
      // Without a three-way result (a deletion conflict) the local version stays whole.
      const data = settledData(d, 'keep_local');
      // Only ST's own bookkeeping (modifiedOn…) differs: no content change to write or announce.
      const changes = data !== undefined && diffFields(d.local, data, diffOptionsFor(d.entity)).length > 0;
      return {
        ...guard,
        ...stVersion(d),
        ...(data && changes ? { data } : {}),
        base: d.record ?? null,
        status: 'pending_sync' as const,
        has_conflict: false,
      };
    }
    default:
      return undefined;
  }
}

/**
 * Turns the judged decisions of one group into bulk writes.
 *
 * @example
 * const writes = buildWrites(planned); // writes.creates, writes.st, writes.merge, writes.resolution
 */
export function buildWrites(planned: readonly Planned[]): GroupWrites {
  const writes: GroupWrites = { creates: [], st: [], merge: [], resolution: [] };
  for (const { decision: d, row, outcome } of planned) {
    if (outcome.kind !== 'write') continue;
    if (outcome.op === 'create') {
      if (d.record && d.hash) {
        writes.creates.push({
          st_id: d.stId,
          data: d.record,
          hash: d.hash,
          modified_on: decisionModifiedOn(d) ?? null,
        });
      }
      continue;
    }
    if (!row) continue;
    const rewrite = rewriteOf(d, row, outcome.op);
    if (!rewrite) continue;
    if (outcome.op === 'merge') writes.merge.push(rewrite);
    else if (outcome.op === 'keep_st' || outcome.op === 'keep_local') writes.resolution.push(rewrite);
    else writes.st.push(rewrite);
  }
  return writes;
}

/** The conflict row of a decision (manual, or settled by the sync's strategy). */
export function conflictOf(p: Planned, recordId: string): ConflictInput {
  const d = p.decision;
  return {
    record_id: recordId,
    st_id: d.stId,
    conflict_type: d.conflictType ?? 'both_modified',
    st_version: stDeleted(d) ? null : (d.record ?? null),
    local_version: d.local ?? null,
    base_version: d.base ?? null,
    field_diff: d.fieldDiff ?? null,
  };
}

/** The resolved conflict row of a decision the sync's strategy settled. */
export function resolvedConflictOf(p: Planned, recordId: string, syncLogId: string): ResolvedConflictInput {
  const d = p.decision;
  const keepSt = d.autoResolve === 'keep_st';
  return {
    ...conflictOf(p, recordId),
    resolution: keepSt ? 'keep_st' : 'keep_local',
    resolved_by: `sync:${syncLogId}`,
    resolved_data:
      settledData(d, keepSt ? 'keep_st' : 'keep_local') ??
      (keepSt ? (stDeleted(d) ? null : (d.record ?? null)) : (d.local ?? null)),
  };
}

/** The fields a conflict is about, for its event. */
export function conflictFields(d: RecordDecidedData): string[] {
  if (d.fieldDiff) return Object.keys(d.fieldDiff).sort();
  return [...(d.changedFields ?? [])].sort();
}
