import {
  type ChangeOperation,
  canonicalJson,
  checkStEdit,
  type EntityType,
  isStUpdateField,
  type RevertedRow,
  type RevertSkipReason,
  type SkippedRow,
} from '@pricebook/contracts';

type Json = Record<string, unknown>;

/** One audit row of the change-set being reverted, in `seq` order. */
export interface SetChange {
  entity: EntityType;
  recordId: string;
  stId: number | null;
  seq: bigint;
  operation: ChangeOperation;
  before: Json | null;
  after: Json | null;
  changedFields: string[];
}

/** An audit row on one of its records made after it, by anyone else. */
export interface LaterChange {
  id: string;
  entity: EntityType;
  recordId: string;
  operation: ChangeOperation;
  changedFields: string[];
  actor: string | null;
}

/** A row of the change-set as it is now. */
export interface CurrentRow {
  entity: EntityType;
  id: string;
  stId: number | null;
  inConflict: boolean;
  deleted: boolean;
  version: number;
  data: Json;
}

/** What a revert writes to one row: new `data` (fields set, fields removed) and `deleted_at`. */
export interface RevertWrite {
  row: CurrentRow;
  action: RevertedRow['action'];
  set: Json;
  unset: string[];
}

export interface RevertPlan {
  writes: RevertWrite[];
  reverted: RevertedRow[];
  skipped: SkippedRow[];
}

/** The net effect of a change-set on one record: as it was before its first change, after its last. */
interface NetChange {
  entity: EntityType;
  recordId: string;
  stId: number | null;
  existedBefore: boolean;
  existedAfter: boolean;
  before: Json | null;
  after: Json | null;
  fields: string[];
}

const key = (entity: string, recordId: string) => `${entity}:${recordId}`;

function netChanges(changes: readonly SetChange[]): NetChange[] {
  const byRecord = new Map<string, NetChange>();
  for (const c of changes) {
    const k = key(c.entity, c.recordId);
    const net = byRecord.get(k);
    const existedAfter = c.operation !== 'delete' && c.after !== null;
    if (!net) {
      byRecord.set(k, {
        entity: c.entity,
        recordId: c.recordId,
        stId: c.stId,
        existedBefore: c.operation !== 'create' && c.operation !== 'restore',
        existedAfter,
        before: c.before,
        after: c.after,
        fields: [...c.changedFields],
      });
    } else {
      net.existedAfter = existedAfter;
      net.after = c.after;
      net.stId = c.stId ?? net.stId;
      net.fields = [...new Set([...net.fields, ...c.changedFields])];
    }
  }
  return [...byRecord.values()];
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** A record field as a PATCH body sends it: `{ id, … }` objects (service categories) as their ids. */
function asEditValue(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((v) => (typeof v === 'object' && v !== null && 'id' in v ? Reflect.get(v, 'id') : v));
}

function skip(
  net: NetChange,
  fields: string[],
  reason: RevertSkipReason,
  message: string,
  laterChangeId: string | null = null,
): SkippedRow {
  return {
    entity: net.entity,
    recordId: net.recordId,
    stId: net.stId,
    fields: [...fields].sort(),
    reason,
    message,
    laterChangeId,
  };
}

function by(actor: string | null): string {
  return actor ? ` (by ${actor})` : '';
}

/** Field by field: the fields to write back, and the ones to leave with why. */
function planUpdate(net: NetChange, row: CurrentRow, later: readonly LaterChange[], plan: RevertPlan): void {
  const before = net.before ?? {};
  const after = net.after ?? {};
  const laterByField = new Map<string, LaterChange>();
  for (const l of later) {
    for (const f of l.changedFields) if (!laterByField.has(f)) laterByField.set(f, l);
  }
  const changedLater: string[] = [];
  const readOnly: string[] = [];
  const moved: string[] = [];
  const candidates: string[] = [];
  for (const f of net.fields) {
    if (same(before[f], after[f])) continue;
    if (laterByField.has(f)) changedLater.push(f);
    else if (!isStUpdateField(net.entity, f)) readOnly.push(f);
    // No audit row says so, yet the value is not the one the change-set left: never overwrite it.
    else if (!same(row.data[f], after[f])) moved.push(f);
    else candidates.push(f);
  }
  if (changedLater.length > 0) {
    const first = later.find((l) => l.changedFields.some((f) => changedLater.includes(f)));
    plan.skipped.push(
      skip(
        net,
        changedLater,
        'changed_since',
        `${[...changedLater].sort().join(', ')} changed after this change-set${by(first?.actor ?? null)}; ` +
          'kept at the later value',
        first?.id ?? null,
      ),
    );
  }
  if (moved.length > 0) {
    plan.skipped.push(
      skip(
        net,
        moved,
        'changed_since',
        `${moved.sort().join(', ')} no longer has the value this change-set wrote`,
      ),
    );
  }
  if (readOnly.length > 0) {
    plan.skipped.push(
      skip(
        net,
        readOnly,
        'read_only',
        `${readOnly.sort().join(', ')}: ServiceTitan owns it; an edit cannot set it`,
      ),
    );
  }
  if (candidates.length === 0) return;
  // A field the record did not have before is removed again; only values written back are checked.
  const edit = Object.fromEntries(
    candidates.filter((f) => f in before).map((f) => [f, asEditValue(before[f])]),
  );
  const checked = Object.keys(edit).length === 0 ? undefined : checkStEdit(net.entity, 'update', edit);
  if (checked && !checked.ok) {
    const message = checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    plan.skipped.push(skip(net, candidates, 'invalid', `the before-value is not a valid edit: ${message}`));
    return;
  }
  const fields = [...candidates].sort();
  const set = Object.fromEntries(fields.filter((f) => f in before).map((f) => [f, before[f]]));
  const unset = fields.filter((f) => !(f in before));
  plan.writes.push({ row, action: 'update', set, unset });
  plan.reverted.push({
    entity: net.entity,
    recordId: net.recordId,
    stId: row.stId,
    action: 'update',
    fields,
    values: Object.fromEntries(fields.map((f) => [f, before[f] ?? null])),
  });
}

/**
 * What reverting a change-set does, decided from its audit rows, the later audit rows on the
 * same records, and the rows as they are now. Per record (the net effect of the change-set):
 * - a record some later change created, deleted or restored is left whole (`changed_since`);
 * - an update writes back the before-value of each field nobody changed since; a field a later
 *   change touched, or whose value is no longer the one the change-set wrote, keeps its value;
 * - a row the change-set created (or restored) is deleted, if nobody changed it since;
 * - a row it deleted is restored with its before-record, if it still exists (soft-deleted) and
 *   nobody changed it since; one removed from its table outright is `gone`;
 * - a row with an open conflict is left alone (`in_conflict`): the conflict decides.
 *
 * @example
 * const plan = planRevert(changes, later, current);
 * plan.reverted; // [{ entity: 'materials', recordId, action: 'update', fields: ['price'], … }]
 */
export function planRevert(
  changes: readonly SetChange[],
  later: readonly LaterChange[],
  current: ReadonlyMap<string, CurrentRow>,
): RevertPlan {
  const plan: RevertPlan = { writes: [], reverted: [], skipped: [] };
  const laterOf = new Map<string, LaterChange[]>();
  for (const l of later) {
    const k = key(l.entity, l.recordId);
    laterOf.set(k, [...(laterOf.get(k) ?? []), l]);
  }
  for (const net of netChanges(changes)) {
    // Created and deleted within the change-set: nothing of it is left to undo.
    if (!net.existedBefore && !net.existedAfter) continue;
    const row = current.get(key(net.entity, net.recordId));
    const laterHere = laterOf.get(key(net.entity, net.recordId)) ?? [];
    const all = net.fields;
    if (!row) {
      plan.skipped.push(skip(net, all, 'gone', 'the row no longer exists'));
      continue;
    }
    const lifeChange = laterHere.find((l) => l.operation !== 'update');
    if (lifeChange) {
      const what = `${lifeChange.operation === 'restore' ? 'restored' : `${lifeChange.operation}d`}`;
      plan.skipped.push(
        skip(
          net,
          all,
          'changed_since',
          `the row was ${what} after this change-set${by(lifeChange.actor)}`,
          lifeChange.id,
        ),
      );
      continue;
    }
    if (row.inConflict) {
      plan.skipped.push(skip(net, all, 'in_conflict', 'the row has an open conflict: resolve it first'));
      continue;
    }
    if (net.existedBefore && net.existedAfter) {
      if (row.deleted) plan.skipped.push(skip(net, all, 'gone', 'the row is deleted'));
      else planUpdate(net, row, laterHere, plan);
      continue;
    }
    const first = laterHere[0];
    if (first) {
      plan.skipped.push(
        skip(net, all, 'changed_since', `the row changed after this change-set${by(first.actor)}`, first.id),
      );
      continue;
    }
    if (!net.existedBefore) {
      // Created (or restored) by the change-set: undone by deleting it.
      // Only the fields an edit can set: a push writes ServiceTitan's echo (its id, `modifiedOn`)
      // into the row without an audit row, and that is not someone else's change.
      const left = net.after ?? {};
      const moved = Object.keys(left).some(
        (f) => isStUpdateField(net.entity, f) && !same(row.data[f], left[f]),
      );
      if (row.deleted || moved) {
        plan.skipped.push(skip(net, all, 'changed_since', 'the row is no longer as this change-set left it'));
        continue;
      }
      plan.writes.push({ row, action: 'delete', set: {}, unset: [] });
      plan.reverted.push({
        entity: net.entity,
        recordId: net.recordId,
        stId: row.stId,
        action: 'delete',
        fields: [],
        values: {},
      });
      continue;
    }
    // Deleted by the change-set: brought back with its before-record, if the row is still there.
    if (!row.deleted || net.before === null) {
      plan.skipped.push(skip(net, all, 'changed_since', 'the row is no longer as this change-set left it'));
      continue;
    }
    const before = net.before;
    const unset = Object.keys(row.data).filter((f) => !(f in before));
    plan.writes.push({ row, action: 'restore', set: before, unset });
    plan.reverted.push({
      entity: net.entity,
      recordId: net.recordId,
      stId: row.stId,
      action: 'restore',
      fields: [...new Set([...Object.keys(before), ...unset])]
        .filter((f) => !same(before[f], row.data[f]))
        .sort(),
      values: before,
    });
  }
  return plan;
}
