import { type DiffOptions, ignoredFields, type StFields } from './fields';
import { ownFields } from './policy';

export { diffOptionsFor } from './fields';

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
 * Three-way comparison of ST and local, each against the base snapshot, field by field, with
 * every dispute left open: the comparison half of the conflict policy (`settleThreeWay`), for
 * callers without an entity. Disjoint edits merge; a field changed identically on both sides is
 * no conflict; a field changed to different values on both sides is.
 *
 * @example
 * const r = threeWay({ base: { price: 1, code: 'A' }, st: { price: 2, code: 'A' }, local: { price: 1, code: 'B' } });
 * r.merged; // { price: 2, code: 'B' }
 */
export function threeWay(input: ThreeWayInput, options: DiffOptions = {}): ThreeWayResult {
  const r = ownFields({ ...input, settle: 'open' }, ignoredFields(options));
  const merged = Object.keys(r.open).length > 0 ? undefined : r.record;
  return { stChanged: r.stChanged, localChanged: r.localChanged, conflicting: r.open, merged };
}
