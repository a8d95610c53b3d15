import { type EntityType, mapEntities } from '../entities/index';
import { stCreateSchemas, stRecordFields, stUpdateSchemas, stWritableFields } from './records';

/**
 * The one check of values a person or another system asks to write into a record: local edits
 * (API, inbound messages) and the typed values of a `merge` resolution. Values are checked
 * against the entity's ServiceTitan create or update schema, so every type, range (decimals
 * within `numeric(14,4)`, ids, dates) and NUL-free string rule holds before anything is stored
 * or sent; fields ServiceTitan computes or never lets a client set are refused by name.
 */

/** Whether values create a record (ST create schema) or change one (ST update schema). */
export type StEditMode = 'create' | 'update';

/** One refused field: its dot path and why. */
export interface StFieldProblem {
  path: string;
  message: string;
}

/** The parsed values (decimals and timestamps normalised), or every problem at once. */
export type StEditCheck =
  | { ok: true; values: Record<string, unknown> }
  | { ok: false; problems: StFieldProblem[] };

const createFields: Record<EntityType, ReadonlySet<string>> = mapEntities(
  (d) => new Set(Object.keys(d.st.create.shape)),
);
const updateFields: Record<EntityType, ReadonlySet<string>> = mapEntities(
  (d) => new Set(Object.keys(d.st.update.shape)),
);

/**
 * Whether an update may set `field` of the entity's records (false for what ServiceTitan computes
 * or owns: `id`, `modifiedOn`, services' `cost`…).
 *
 * @example
 * isStUpdateField('materials', 'price'); // true
 * isStUpdateField('materials', 'modifiedOn'); // false
 */
export const isStUpdateField = (entity: EntityType, field: string): boolean =>
  updateFields[entity].has(field);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why a key outside the schema is refused: ST owns it (read-only), or ST has no such field. */
function refusedKey(entity: EntityType, mode: StEditMode, key: string): string {
  if (stRecordFields[entity].includes(key)) return 'read-only field';
  if (mode === 'create' && stWritableFields[entity].includes(key)) return 'cannot be set on create';
  return 'unknown field';
}

/**
 * Checks values against the entity's ST create or update schema and returns them parsed, or
 * names every bad field at once. A read-only field (`modifiedOn`, `id`, services' `cost`…) is
 * told apart from an unknown one, because an integrator who sends `modifiedOn` needs a
 * different fix from one who misspells `price`.
 *
 * @example
 * checkStEdit('materials', 'update', { price: '12.50' }); // { ok: true, values: { price: 12.5 } }
 * checkStEdit('materials', 'update', { price: 1e11, id: 1 });
 * // { ok: false, problems: [{ path: 'id', message: 'read-only field' }, { path: 'price', message: 'must be …' }] }
 */
export function checkStEdit(entity: EntityType, mode: StEditMode, input: unknown): StEditCheck {
  if (!isObject(input)) {
    return { ok: false, problems: [{ path: '(root)', message: 'the record must be a JSON object' }] };
  }
  if (mode === 'update' && Object.keys(input).length === 0) {
    return { ok: false, problems: [{ path: '(root)', message: 'the edit must change at least one field' }] };
  }
  const allowed = mode === 'create' ? createFields[entity] : updateFields[entity];
  const problems: StFieldProblem[] = Object.keys(input)
    .filter((key) => !allowed.has(key))
    .map((key) => ({ path: key, message: refusedKey(entity, mode, key) }));
  const schema = mode === 'create' ? stCreateSchemas[entity] : stUpdateSchemas[entity];
  const parsed = schema.safeParse(input);
  if (parsed.success && problems.length === 0) {
    return { ok: true, values: parsed.data as Record<string, unknown> };
  }
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    // Top-level unknown keys are already named above with the reason they are refused.
    if (issue.code === 'unrecognized_keys' && issue.path.length === 0) continue;
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        problems.push({ path: path ? `${path}.${key}` : key, message: 'unknown field' });
    } else {
      problems.push({ path: path || '(root)', message: issue.message });
    }
  }
  return { ok: false, problems };
}

/**
 * Checks the typed `values` of a `merge` resolution for the conflict's entity: each must be a
 * value the entity's PATCH accepts (types, ranges, no NUL), and read-only or volatile fields
 * (`modifiedOn`, `createdOn`, services' `cost`…) are refused, since a person's value for them
 * could never reach ServiceTitan. Paths are `values.<field>`. Absent or empty values pass.
 * The API calls it before publishing a resolve command and the applier again before planning,
 * so a command from any publisher is held to the same rule.
 *
 * @example
 * checkMergeValues('materials', { price: 'cheap' });
 * // { ok: false, problems: [{ path: 'values.price', message: … }] }
 */
export function checkMergeValues(entity: EntityType, values: unknown): StEditCheck {
  if (values === undefined || (isObject(values) && Object.keys(values).length === 0)) {
    return { ok: true, values: {} };
  }
  const checked = checkStEdit(entity, 'update', values);
  if (checked.ok) return checked;
  const prefix = (path: string) => (path === '(root)' ? 'values' : `values.${path}`);
  return { ok: false, problems: checked.problems.map((p) => ({ ...p, path: prefix(p.path) })) };
}

/**
 * The problems as one sentence (`price (…); id (read-only field)`), for logs and the reason of
 * a terminated message, which are read without the structured list.
 */
export function describeProblems(problems: readonly StFieldProblem[]): string {
  return problems.map((p) => `${p.path} (${p.message})`).join('; ');
}
