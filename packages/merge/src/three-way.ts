import type { EntityType } from '@pricebook/contracts';
import { type DiffOptions, diffFields, type StFields, sameValue, volatileServiceFields } from './fields';

/** One field both sides changed to different values. */
export interface FieldConflict {
  base: unknown;
  st: unknown;
  local: unknown;
}

export interface ThreeWayInput {
  /** The record as both sides last agreed; `null` when unknown (every field then counts as changed). */
  base: StFields | null | undefined;
  /** ServiceTitan's current record. */
  st: StFields;
  /** The local current record. */
  local: StFields;
}

export interface ThreeWayResult {
  /** Fields ST changed since the base (sorted, volatile fields left out). */
  stChanged: string[];
  /** Fields the local side changed since the base (sorted, volatile fields left out). */
  localChanged: string[];
  /** Fields both changed to different values. Empty when the edits can be merged. */
  conflicting: Record<string, FieldConflict>;
  /**
   * base + ST's changes + local's changes, when nothing conflicts; volatile fields take ST's
   * values. `undefined` when something conflicts.
   */
  merged: Record<string, unknown> | undefined;
}

/**
 * The diff options of an entity: on services `cost` is computed by ST, so it is volatile there.
 *
 * @example
 * diffFields(a, b, diffOptionsFor('services'));
 */
export function diffOptionsFor(entity: EntityType): DiffOptions {
  return entity === 'services' ? { ignore: volatileServiceFields } : {};
}

/**
 * Three-way comparison of ST and local, each against the base snapshot, field by field.
 * Disjoint edits merge; a field changed identically on both sides is no conflict; a field
 * changed to different values on both sides is.
 *
 * @example
 * const r = threeWay({ base: { price: 1, code: 'A' }, st: { price: 2, code: 'A' }, local: { price: 1, code: 'B' } });
 * r.merged; // { price: 2, code: 'B' }
 */
export function threeWay(input: ThreeWayInput, options: DiffOptions = {}): ThreeWayResult {
  const base = input.base ?? {};
  const { st, local } = input;
  const stChanged = diffFields(base, st, options);
  const localChanged = diffFields(base, local, options);
  const stSet = new Set(stChanged);
  const conflicting: Record<string, FieldConflict> = {};
  for (const field of localChanged) {
    if (stSet.has(field) && !sameValue(st[field], local[field])) {
      conflicting[field] = { base: base[field] ?? null, st: st[field] ?? null, local: local[field] ?? null };
    }
  }
  const merged =
    Object.keys(conflicting).length > 0
      ? undefined
      : mergeRecords(base, st, local, stSet, new Set(localChanged));
  return { stChanged, localChanged, conflicting, merged };
}

/** Keys in ST's order first, then local-only keys, then base-only keys. */
function mergeRecords(
  base: StFields,
  st: StFields,
  local: StFields,
  stChanged: ReadonlySet<string>,
  localChanged: ReadonlySet<string>,
): Record<string, unknown> {
  const keys = new Set([...Object.keys(st), ...Object.keys(local), ...Object.keys(base)]);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    let value: unknown;
    if (stChanged.has(key)) value = st[key];
    else if (localChanged.has(key)) value = local[key];
    // Unchanged on both sides, or volatile: ST's spelling, which is also ST's current value.
    else if (Object.hasOwn(st, key)) value = st[key];
    else if (Object.hasOwn(local, key)) value = local[key];
    else value = base[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
