import type { EntityType } from '@pricebook/contracts';
import { type PersonChoice, settleThreeWay } from './policy';

/** A person's per-field merge of a conflict: which side wins, or a typed value. */
export type MergeChoice = PersonChoice;

/** The conflict a merge is about (as `pricebook_sync_conflicts` stores it). */
export interface MergeSubject {
  entity: EntityType;
  st: Readonly<Record<string, unknown>>;
  local: Readonly<Record<string, unknown>>;
  base: Readonly<Record<string, unknown>> | null;
  /** `{ field: { base, st, local } }`: the fields both sides changed differently. */
  fieldDiff: Readonly<Record<string, unknown>> | null;
}

export interface MergeProblem {
  /** `fields.<name>`, `values.<name>` or `fields` (a missing choice). */
  path: string;
  message: string;
}

export type MergeOutcome =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; problems: MergeProblem[] };

/**
 * Builds the record a `merge` resolution writes: the three-way result of the conflict's versions
 * ({@link settleThreeWay}) with the person's choice for each disputed field: ST's changes and the
 * local side's changes nobody disputed both stay, each disputed field takes the chosen side or
 * the typed value, and a choice about an undisputed field applies too. Every disputed field needs
 * a choice or a value; a name that neither version has is refused.
 *
 * @example
 * mergeResolution(
 *   { entity: 'materials', st: { price: 2, code: 'A' }, local: { price: 3, code: 'B' },
 *     base: { price: 1, code: 'A' }, fieldDiff: { price: { base: 1, st: 2, local: 3 } } },
 *   { fields: { price: 'local' } },
 * ); // { ok: true, data: { price: 3, code: 'B' } }
 */
export function mergeResolution(subject: MergeSubject, choice: MergeChoice): MergeOutcome {
  const { st, local } = subject;
  const disputed = Object.keys(subject.fieldDiff ?? {});
  const known = new Set([...Object.keys(st), ...Object.keys(local), ...disputed]);
  const fields = choice.fields ?? {};
  const values = choice.values ?? {};
  const problems: MergeProblem[] = [];
  for (const name of Object.keys(fields)) {
    if (!known.has(name)) problems.push({ path: `fields.${name}`, message: 'unknown field' });
  }
  for (const name of Object.keys(values)) {
    if (!known.has(name)) problems.push({ path: `values.${name}`, message: 'unknown field' });
  }
  for (const name of disputed) {
    if (!Object.hasOwn(fields, name) && !Object.hasOwn(values, name)) {
      problems.push({ path: `fields.${name}`, message: "choose 'st' or 'local', or give a value" });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const result = settleThreeWay({ entity: subject.entity, base: subject.base, st, local, settle: choice });
  return { ok: true, data: result.record };
}
