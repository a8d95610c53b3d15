import { type EntityType, stRecordFields, stWritableFields } from '@pricebook/contracts';
import { diffOptionsFor, ignoredFields, type StFields, sameValue } from './fields';
import type { FieldConflict } from './three-way';

/** A side of a three-way comparison. */
export type Side = 'st' | 'local';

/**
 * Who a field's value in the result comes from:
 * - `base`: nobody changed it since both sides last agreed (ST's spelling of the same value);
 * - `st`: ServiceTitan changed it (or both did, to the same value), or a dispute was settled for ST,
 *   or the field is one ST computes by itself (volatile);
 * - `local`: the local side changed it and nobody disputed that, or a dispute was settled for it;
 * - `person`: a person typed the value in a merge resolution.
 */
export type Owner = 'base' | 'st' | 'local' | 'person';

/** A person's per-field merge: which side wins a field, or a typed value. */
export interface PersonChoice {
  fields?: Readonly<Record<string, Side>> | undefined;
  values?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * How fields both sides changed to different values are settled: all for ST, all for the local
 * side, field by field by a person, or left `open` (a conflict for a person to look at).
 */
export type Settlement = 'open' | Side | PersonChoice;

export interface PolicyInput {
  entity: EntityType;
  /** The record as both sides last agreed; `null` when unknown (every field then counts as changed). */
  base: StFields | null | undefined;
  /** ServiceTitan's current record. */
  st: StFields;
  /** The local current record. */
  local: StFields;
  settle: Settlement;
}

export interface PolicyResult {
  /** Who owns each field of the result (volatile fields: always `st`). */
  owners: Record<string, Owner>;
  /** The record both sides should hold once `send` is written to ST. */
  record: Record<string, unknown>;
  /** Fields ST changed since the base (sorted, volatile fields left out). */
  stChanged: string[];
  /** Fields the local side changed since the base (sorted, volatile fields left out). */
  localChanged: string[];
  /** Every field both sides changed to different values, settled or not. */
  disputed: Record<string, FieldConflict>;
  /** The disputed fields the settlement leaves open; the record keeps the local value for them. */
  open: Record<string, FieldConflict>;
  /**
   * What must be written to ST (record shape): the writable fields owned by the local side or a
   * person whose value differs from ST's current record. Empty while anything is open. A field
   * ST changed that nobody disputed is never in it; neither is a volatile or read-only field, nor a
   * write-only field without a value.
   */
  send: Record<string, unknown>;
}

/** A person's choice about a field, disputed or not (e.g. undo a local edit, type a value). */
function choiceOf(field: string, settle: Settlement): Owner | undefined {
  if (typeof settle !== 'object') return undefined;
  if (settle.values && Object.hasOwn(settle.values, field)) return 'person';
  return settle.fields?.[field];
}

function fieldValue(
  owner: Owner,
  field: string,
  settle: Settlement,
  v: { base: StFields; st: StFields; local: StFields },
): unknown {
  switch (owner) {
    case 'person':
      return typeof settle === 'object' ? settle.values?.[field] : undefined;
    case 'local':
      return v.local[field];
    case 'st':
      return v.st[field];
    case 'base':
      // Unchanged on both sides: ST's spelling, which is also ST's current value.
      if (Object.hasOwn(v.st, field)) return v.st[field];
      if (Object.hasOwn(v.local, field)) return v.local[field];
      return v.base[field];
  }
}

/**
 * The one conflict policy: ST and the local record each compared with the base, field by field,
 * and every field given an owner. Disjoint edits merge; the same field changed to different
 * values is disputed, and `settle` says who wins it (or leaves it open). What is sent to ST is
 * derived from the owners, never from the local record as a whole, so an ST change nobody
 * disputed is never reverted and a local change nobody disputed is never lost.
 *
 * @example
 * const r = settleThreeWay({
 *   entity: 'materials',
 *   base: { price: 1, memberPrice: 1 },
 *   st: { price: 2, memberPrice: 3 },
 *   local: { price: 5, memberPrice: 1 },
 *   settle: 'local',
 * });
 * r.send; // { price: 5 }  (ST's memberPrice stays)
 * r.record; // { price: 5, memberPrice: 3 }
 */
export function settleThreeWay(input: PolicyInput): PolicyResult {
  const ignored = ignoredFields(diffOptionsFor(input.entity));
  const owned = ownFields(input, ignored);
  const send = Object.keys(owned.open).length > 0 ? {} : sendOf(input.entity, owned, input.st, ignored);
  return { ...owned, send };
}

/** The part of the policy that needs no entity: owners, the result, the disputes. */
export type Ownership = Omit<PolicyResult, 'send'>;

/**
 * Gives every field its owner (see {@link settleThreeWay}); `ignored` are the volatile fields,
 * which ST always owns.
 */
export function ownFields(input: Omit<PolicyInput, 'entity'>, ignored: ReadonlySet<string>): Ownership {
  const { st, local, settle } = input;
  const base = input.base ?? {};
  const keys = [...new Set([...Object.keys(st), ...Object.keys(local), ...Object.keys(base)])];
  if (typeof settle === 'object') {
    for (const key of Object.keys(settle.values ?? {})) if (!keys.includes(key)) keys.push(key);
  }
  const owners: Record<string, Owner> = {};
  const record: Record<string, unknown> = {};
  const stChanged: string[] = [];
  const localChanged: string[] = [];
  const disputed: Record<string, FieldConflict> = {};
  const open: Record<string, FieldConflict> = {};
  for (const field of keys) {
    let owner: Owner;
    if (ignored.has(field)) owner = 'st';
    else {
      const stEdit = !sameValue(base[field], st[field]);
      const localEdit = !sameValue(base[field], local[field]);
      if (stEdit) stChanged.push(field);
      if (localEdit) localChanged.push(field);
      if (stEdit && localEdit && !sameValue(st[field], local[field])) {
        const diff = { base: base[field] ?? null, st: st[field] ?? null, local: local[field] ?? null };
        disputed[field] = diff;
        const settled =
          typeof settle === 'object' ? choiceOf(field, settle) : settle === 'open' ? undefined : settle;
        if (settled === undefined) open[field] = diff;
        // An open dispute keeps the local value: the row holds its edit until a person decides.
        owner = settled ?? 'local';
      } else if (stEdit) owner = 'st';
      else if (localEdit) owner = 'local';
      else owner = 'base';
      owner = choiceOf(field, settle) ?? owner;
    }
    owners[field] = owner;
    const value = fieldValue(owner, field, settle, { base, st, local });
    if (value !== undefined) record[field] = value;
  }
  return { owners, record, stChanged: stChanged.sort(), localChanged: localChanged.sort(), disputed, open };
}

function sendOf(
  entity: EntityType,
  { owners, record }: Ownership,
  st: StFields,
  ignored: ReadonlySet<string>,
): Record<string, unknown> {
  const writable = new Set(stWritableFields[entity]);
  const readable = new Set(stRecordFields[entity]);
  const send: Record<string, unknown> = {};
  for (const [field, owner] of Object.entries(owners)) {
    if (owner !== 'local' && owner !== 'person') continue;
    // externalData needs our application GUID in its request shape: the create path owns it.
    if (!writable.has(field) || field === 'externalData' || ignored.has(field)) continue;
    const value = record[field];
    // A field the local side dropped is not a change a PATCH can express.
    if (value === undefined) continue;
    // Write-only fields never come back from ST, so "null" there means "unknown", never "clear it".
    if (value === null && !readable.has(field)) continue;
    if (!sameValue(value, st[field])) send[field] = value;
  }
  return send;
}
