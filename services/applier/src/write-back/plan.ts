import {
  type ConflictStrategy,
  type ConflictType,
  type EntityType,
  stContentHash,
} from '@pricebook/contracts';
import {
  diffFields,
  diffOptionsFor,
  ignoredFields,
  type Settlement,
  sameValue,
  settleThreeWay,
} from '@pricebook/merge';
import { stRecordToUpdate } from '@pricebook/st-client';

type Json = Record<string, unknown>;

/** A `pending_sync` row as the push reads it. */
export interface PendingRow {
  id: string;
  stId: number | null;
  data: Json;
  base: Json | null;
  contentHash: string | null;
  deleted: boolean;
  version: number;
}

/** A disagreement the push found instead of writing. */
export interface PushConflict {
  type: ConflictType;
  /** ST's current record; null when ST no longer has it. */
  st: Json | null;
  fieldDiff: Record<string, { base: unknown; st: unknown; local: unknown }>;
  fields: string[];
}

/** A conflict the sync's strategy settled by the write that carries it. */
export interface SettledConflict extends PushConflict {
  resolution: 'keep_st' | 'keep_local';
}

/**
 * What to do with one pending row, decided from the row and ST's current record alone:
 * - `create`: look for an earlier create of ours, else create;
 * - `patch`: send `patch` on top of `st` (`action` says how it is audited and counted);
 * - `hard_delete`: `DELETE` the item;
 * - `adopt`: nothing to send, ST's record becomes the row's (ST already has what we want);
 * - `conflict`: ST moved on a field the local side changed too (or deleted the item);
 * - `settle_st`: a local delete ST edited meanwhile, settled by the sync's `keep_st`: ST's record
 *   overwrites the row and undeletes it;
 * - `done`: nothing to send and nothing to take (a local create deleted before it was pushed).
 */
export type PushPlan =
  | { kind: 'create' }
  | { kind: 'patch'; action: PushAction; stId: number; st: Json; patch: Json; settles?: SettledConflict }
  | { kind: 'hard_delete'; stId: number; st: Json | undefined }
  | { kind: 'adopt'; action: PushAction; stId: number; st: Json; settles?: SettledConflict }
  | { kind: 'conflict'; stId: number; conflict: PushConflict }
  | { kind: 'settle_st'; stId: number; conflict: PushConflict }
  | { kind: 'done'; why: 'never_pushed' | 'gone_in_st' };

/** How a pushed row is counted: a plain update, or local changes merged onto ST's newer version. */
export type PushAction = 'create' | 'update' | 'merge' | 'delete';

export interface PlanOptions {
  entity: EntityType;
  resolveConflicts: ConflictStrategy;
  hardDelete: boolean;
}

function diffOf(base: Json, st: Json | null, local: Json, fields: readonly string[]) {
  const out: PushConflict['fieldDiff'] = {};
  for (const f of fields)
    out[f] = { base: base[f] ?? null, st: st ? (st[f] ?? null) : null, local: local[f] ?? null };
  return out;
}

/** ST's record moved since the row's base snapshot (the hash the row last saw differs). */
export function stMoved(entity: EntityType, row: PendingRow, st: Json): boolean {
  return row.contentHash === null || stContentHash(entity, st) !== row.contentHash;
}

/** A conflict the sync's strategy may settle at once (`keep_local` is handled by the caller). */
function conflictPlan(options: PlanOptions, stId: number, conflict: PushConflict): PushPlan {
  return options.resolveConflicts === 'keep_st'
    ? { kind: 'settle_st', stId, conflict }
    : { kind: 'conflict', stId, conflict };
}

function planDelete(options: PlanOptions, row: PendingRow, stId: number, st: Json | undefined): PushPlan {
  if (!st) return { kind: 'done', why: 'gone_in_st' };
  const base = row.base ?? {};
  if (stMoved(options.entity, row, st)) {
    // ST deactivating the item is what this delete would do (`active: false`): no conflict.
    const changed = diffFields(base, st, diffOptionsFor(options.entity)).filter(
      (field) => !(field === 'active' && st.active === false),
    );
    if (changed.length > 0 && options.resolveConflicts !== 'keep_local') {
      const conflict = {
        type: 'local_deleted_st_modified' as const,
        st,
        fieldDiff: diffOf(base, st, row.data, changed),
        fields: changed,
      };
      return conflictPlan(options, stId, conflict);
    }
  }
  if (options.hardDelete) return { kind: 'hard_delete', stId, st };
  if (st.active === false) return { kind: 'adopt', action: 'delete', stId, st };
  return { kind: 'patch', action: 'delete', stId, st, patch: { active: false } };
}

/** The sync's `resolveConflicts` as a settlement of disputed fields. */
function settlementOf(strategy: ConflictStrategy): Settlement {
  return strategy === 'manual' ? 'open' : strategy === 'keep_st' ? 'st' : 'local';
}

/**
 * Plans one pending row. `st` is ST's current record (read just before), undefined when ST no
 * longer has it; unused for a row never pushed. An update is planned from the three-way result
 * ({@link settleThreeWay}): the PATCH carries only the fields the local side owns that differ from
 * ST's current record, so an ST change nobody disputed is never sent back. A field both sides
 * changed differently is a conflict, or settled by the sync's `keep_st`/`keep_local`.
 *
 * @example
 * planPush({ entity: 'materials', resolveConflicts: 'manual', hardDelete: false }, row, stRecord);
 * // { kind: 'patch', action: 'update', patch: { price: 13 }, … }
 */
export function planPush(options: PlanOptions, row: PendingRow, st: Json | undefined): PushPlan {
  const { entity } = options;
  if (row.stId === null) return row.deleted ? { kind: 'done', why: 'never_pushed' } : { kind: 'create' };
  const stId = row.stId;
  if (row.deleted) return planDelete(options, row, stId, st);
  if (!st) {
    const fields = diffFields(row.base ?? {}, row.data, diffOptionsFor(entity));
    const conflict: PushConflict = {
      type: 'st_deleted_local_modified',
      st: null,
      fieldDiff: diffOf(row.base ?? {}, null, row.data, fields),
      fields,
    };
    // keep_local cannot bring an ST-deleted item back under its id: it waits for a person.
    return { kind: 'conflict', stId, conflict };
  }
  const moved = stMoved(entity, row, st);
  // Without a base, an unmoved ST record is the version the local edit started from.
  const base = row.base ?? (moved ? null : st);
  const result = settleThreeWay({
    entity,
    base,
    st,
    local: row.data,
    settle: settlementOf(options.resolveConflicts),
  });
  const disputed = Object.keys(result.disputed).sort();
  const conflict: PushConflict | undefined =
    disputed.length > 0
      ? { type: 'both_modified', st, fieldDiff: result.disputed, fields: disputed }
      : undefined;
  if (conflict && Object.keys(result.open).length > 0) return { kind: 'conflict', stId, conflict };
  const settles: SettledConflict | undefined = conflict
    ? { ...conflict, resolution: options.resolveConflicts === 'keep_st' ? 'keep_st' : 'keep_local' }
    : undefined;
  const action: PushAction = moved && !settles ? 'merge' : 'update';
  const patch = stRecordToUpdate(entity, result.send) as Json;
  const extra = settles ? { settles } : {};
  return Object.keys(patch).length > 0
    ? { kind: 'patch', action, stId, st, patch, ...extra }
    : { kind: 'adopt', action, stId, st, ...extra };
}

/**
 * Whether ST's answer is only the echo of the local record: every field the local record has
 * (ST's computed fields and ids aside) holds the same value. Then the row's content did not
 * change in any way a person would see, and the bookkeeping write announces nothing.
 *
 * @example
 * isEcho('materials', { price: 13 }, { id: 5, price: 13, modifiedOn: '…' }); // true
 */
export function isEcho(entity: EntityType, local: Json, answer: Json): boolean {
  const ignored = ignoredFields(diffOptionsFor(entity));
  for (const [key, value] of Object.entries(local)) {
    if (key === 'id' || key === 'externalData' || ignored.has(key)) continue;
    if (!sameValue(value, answer[key])) return false;
  }
  return true;
}
