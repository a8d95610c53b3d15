import type { z } from 'zod';
import { addError, type FieldErrors, validationError } from '../problem';

type Path = readonly PropertyKey[];

function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function modelPath(path: Path): string {
  return path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${pascal(String(k))}`))
    .join('');
}

function jsonPath(path: Path): string {
  return `$${path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('')}`;
}

const netTypes: Record<string, string> = {
  number: 'System.Decimal',
  int: 'System.Int64',
  string: 'System.String',
  boolean: 'System.Boolean',
  array: 'System.Collections.Generic.List',
  object: 'an object',
};

/**
 * Adds zod issues as ASP.NET model-binding errors would read: a missing field under its
 * PascalCase name ("The Code field is required."), a value of the wrong type under its JSON
 * path ("The JSON value could not be converted to System.Decimal. Path: $.price").
 */
export function addIssues(
  errors: FieldErrors,
  issues: readonly z.core.$ZodIssue[],
  body: unknown,
  base: Path = [],
) {
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    const last = path[path.length - 1];
    if (valueAt(body, issue.path) === undefined && typeof last === 'string') {
      addError(errors, modelPath(path), `The ${pascal(last)} field is required.`);
      continue;
    }
    const expected = 'expected' in issue && typeof issue.expected === 'string' ? issue.expected : '';
    const target =
      netTypes[expected] ?? (issue.code === 'invalid_format' ? 'System.Guid' : 'the expected type');
    addError(
      errors,
      jsonPath(path),
      `The JSON value could not be converted to ${target}. Path: ${jsonPath(path)} | ${issue.message}`,
    );
  }
}

/** Parses `body` with `schema` or throws a 400 ApiErrorResponse listing every problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw validationError({ request: ['The request field is required.'] });
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const errors: FieldErrors = {};
  addIssues(errors, result.error.issues, body);
  throw validationError(errors);
}
