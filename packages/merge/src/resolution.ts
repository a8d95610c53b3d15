import { sameValue } from './fields';

/** A person's per-field merge of a conflict: which side wins, or a typed value. */
export interface MergeChoice {
  fields?: Readonly<Record<string, 'st' | 'local'>> | undefined;
  values?: Readonly<Record<string, unknown>> | undefined;
}

/** The conflict a merge is about (as `pricebook_sync_conflicts` stores it). */
export interface MergeSubject {
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
 * Builds the record a `merge` resolution writes: ST's version, plus the local side's edits of
 * fields nobody disputes (so a disjoint local edit is never lost), then the person's choice for
 * each disputed field, then typed values. Every disputed field needs a choice or a value; a name
 * that neither version has is refused.
 *
 * @example
 * mergeResolution(
 *   { st: { price: 2, code: 'A' }, local: { price: 3, code: 'B' }, base: { price: 1, code: 'A' },
 *     fieldDiff: { price: { base: 1, st: 2, local: 3 } } },
 *   { fields: { price: 'local' } },
 * ); // { ok: true, data: { price: 3, code: 'B' } }
 */
export function mergeResolution(subject: MergeSubject, choice: MergeChoice): MergeOutcome {
  const { st, local } = subject;
  const base = subject.base ?? {};
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

  const data: Record<string, unknown> = { ...st };
  const disputedSet = new Set(disputed);
  for (const [name, value] of Object.entries(local)) {
    const localEdit = !sameValue(value, base[name]) && !sameValue(value, st[name]);
    if (localEdit && !disputedSet.has(name) && sameValue(st[name], base[name])) data[name] = value;
  }
  for (const [name, side] of Object.entries(fields)) {
    const source = side === 'st' ? st : local;
    if (Object.hasOwn(source, name)) data[name] = source[name];
    else delete data[name];
  }
  for (const [name, value] of Object.entries(values)) data[name] = value;
  return { ok: true, data };
}
