import type { FieldError } from '@pricebook/contracts';
import { AppError, type ErrorCode, toAppError, toProblem } from '@pricebook/errors';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import type { AppEnv } from '../context';

/** Where a field error was found, in the words of OpenAPI (`in`). */
export type FieldLocation = FieldError['in'];

/** One field error of a 400 problem (the contracts' shape). */
export type { FieldError };

const locations: Record<string, FieldLocation> = {
  json: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
};

const httpCodes: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  // The closed list has no 413/415: both are a request the client must change.
  413: 'validation_failed',
  415: 'validation_failed',
  503: 'unavailable',
};

const httpMessages: Record<number, string> = {
  400: 'the request body is not valid JSON',
  413: 'the request body is too large',
  415: 'the request body must be application/json',
};

/**
 * A 400 naming every field that failed, one entry per field (an unknown key is its own entry).
 *
 * @example
 * throw fieldErrors([{ path: 'fullSync', in: 'body', message: 'must be true on /full' }]);
 */
export function fieldErrors(errors: FieldError[], message = 'the request is not valid'): AppError {
  const fields = [...new Set(errors.map((e) => e.path || '(root)'))].join(', ');
  return new AppError('validation_failed', `${message}: ${fields}`, { details: { errors } });
}

/** The field errors of a zod failure of one request part (`json`, `query`, `param`). */
export function zodFieldErrors(target: string, error: ZodError): FieldError[] {
  const at = locations[target] ?? 'body';
  return error.issues.flatMap((issue): FieldError[] => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: path ? `${path}.${key}` : key,
        in: at,
        message: 'unknown field',
      }));
    }
    return [{ path, in: at, message: issue.message }];
  });
}

/**
 * The `defaultHook` of every route: a request part that fails its schema becomes a 400 naming
 * each field, through `handleError` like any other failure.
 */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; target: string },
) {
  if (!result.success) throw fieldErrors(zodFieldErrors(result.target, result.error));
}

function fromHttpException(error: HTTPException): AppError {
  const code = httpCodes[error.status] ?? 'internal';
  const message = httpMessages[error.status] ?? error.message;
  return new AppError(code, message, { cause: error });
}

/**
 * The one place that turns any failure into an `application/problem+json` response; the status
 * comes from the error code (`@pricebook/errors`). Unexpected errors are logged and answered as a
 * 500 that reveals nothing.
 *
 * @example
 * app.onError(handleError);
 */
export function handleError(error: unknown, c: Context<AppEnv>): Response {
  const appError = error instanceof HTTPException ? fromHttpException(error) : toAppError(error);
  const problem = toProblem(appError, c.req.path);
  const log = c.get('log');
  if (problem.status >= 500) log?.error({ err: error, code: appError.code }, 'request failed');
  else log?.debug({ code: appError.code, detail: problem.detail }, 'request refused');
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (problem.status === 401) headers['www-authenticate'] = 'Bearer realm="pricebook"';
  const requestId = c.get('requestId');
  if (requestId) problem.requestId = requestId;
  return new Response(JSON.stringify(problem), { status: problem.status, headers });
}

/** Unknown routes answer a 404 problem, like every other error. */
export function notFound(c: Context<AppEnv>): Response {
  return handleError(new AppError('not_found', `no route for ${c.req.method} ${c.req.path}`), c);
}
