import { checkStEdit, describeProblems, type EntityType, type StEditMode } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';

/** One refused field of a local edit (`in` is always `body`: the edit is the record itself). */
export interface EditFieldError {
  path: string;
  in: 'body';
  message: string;
}

/** Whether an edit creates a row (ST create schema) or changes one (ST update schema). */
export type EditMode = StEditMode;

/**
 * Validates a local edit against the entity's ServiceTitan create or update schema (the
 * contracts' `checkStEdit`) and returns the parsed values (decimals and timestamps normalised
 * as the schemas do). Every bad field is named at once, as a `validation_failed` error.
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
  const checked = checkStEdit(entity, mode, input);
  if (checked.ok) return checked.values;
  throw editErrors(checked.problems.map((p) => ({ ...p, in: 'body' as const })));
}

/**
 * A `validation_failed` error naming each field with its reason, so a dead-letter row read
 * without the details still says what to fix.
 */
export function editErrors(errors: EditFieldError[]): AppError {
  return new AppError('validation_failed', `the record is not valid: ${describeProblems(errors)}`, {
    details: { errors },
  });
}
