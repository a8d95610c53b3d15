import {
  type EntityType,
  stCreateSchemas,
  stRecordFields,
  stUpdateSchemas,
  stWritableFields,
} from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';

/** One refused field of a local edit (`in` is always `body`: the edit is the record itself). */
export interface EditFieldError {
  path: string;
  in: 'body';
  message: string;
}

/** Whether an edit creates a row (ST create schema) or changes one (ST update schema). */
export type EditMode = 'create' | 'update';

const createFields: Record<EntityType, ReadonlySet<string>> = {
  categories: new Set(Object.keys(stCreateSchemas.categories.shape)),
  materials: new Set(Object.keys(stCreateSchemas.materials.shape)),
  services: new Set(Object.keys(stCreateSchemas.services.shape)),
  equipment: new Set(Object.keys(stCreateSchemas.equipment.shape)),
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why a key outside the schema is refused: ST owns it (read-only), or ST has no such field. */
function refusedKey(entity: EntityType, mode: EditMode, key: string): string {
  if (stRecordFields[entity].includes(key)) return 'read-only field';
  if (mode === 'create' && stWritableFields[entity].includes(key)) return 'cannot be set on create';
  return 'unknown field';
}

/**
 * Validates a local edit against the entity's ServiceTitan create or update schema and returns
 * the parsed values (decimals and timestamps normalised as the schemas do). Every bad field is
 * named at once; a read-only field is told apart from an unknown one, because an integrator
 * who sends `modifiedOn` needs a different fix from one who misspells `price`.
 *
 * @example
 * const values = validateLocalEdit('materials', 'update', { price: 12.5 }); // { price: 12.5 }
 * validateLocalEdit('materials', 'update', { id: 1 }); // throws validation_failed naming `id`
 */
export function validateLocalEdit(
  entity: EntityType,
  mode: EditMode,
  input: unknown,
): Record<string, unknown> {
  if (!isObject(input)) {
    throw editErrors([{ path: '(root)', in: 'body', message: 'the record must be a JSON object' }]);
  }
  if (mode === 'update' && Object.keys(input).length === 0) {
    throw editErrors([{ path: '(root)', in: 'body', message: 'the edit must change at least one field' }]);
  }
  const allowed = mode === 'create' ? createFields[entity] : new Set(stWritableFields[entity]);
  const errors: EditFieldError[] = Object.keys(input)
    .filter((key) => !allowed.has(key))
    .map((key) => ({ path: key, in: 'body', message: refusedKey(entity, mode, key) }));
  const schema = mode === 'create' ? stCreateSchemas[entity] : stUpdateSchemas[entity];
  const parsed = schema.safeParse(input);
  if (parsed.success && errors.length === 0) return parsed.data as Record<string, unknown>;
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    // Top-level unknown keys are already named above with the reason they are refused.
    if (issue.code === 'unrecognized_keys' && issue.path.length === 0) continue;
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({ path: path ? `${path}.${key}` : key, in: 'body', message: 'unknown field' });
      }
    } else {
      errors.push({ path: path || '(root)', in: 'body', message: issue.message });
    }
  }
  throw editErrors(errors);
}

/**
 * A `validation_failed` error naming each field with its reason, so a dead-letter row read
 * without the details still says what to fix.
 */
export function editErrors(errors: EditFieldError[]): AppError {
  const summary = errors.map((e) => `${e.path} (${e.message})`).join('; ');
  return new AppError('validation_failed', `the record is not valid: ${summary}`, { details: { errors } });
}
