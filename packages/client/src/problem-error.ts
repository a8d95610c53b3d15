import type { Problem } from './types';

const problemFields = ['type', 'title', 'status', 'detail'] as const;

function isProblem(body: unknown): body is Problem {
  if (body === null || typeof body !== 'object') return false;
  return problemFields.every((field) => field in body);
}

/**
 * A refusal of the API, typed: the fields of its `application/problem+json` body, and the whole
 * body (`problem`) for the fields only some errors carry (`errors` of a 400, `runningSyncLogId`
 * of a 409, `dependency` of a 503). An answer that is not a problem (a proxy's page) becomes one
 * with its status, status text and the start of its text as `detail`.
 *
 * @example
 * try {
 *   await engine.sync({ fullSync: true });
 * } catch (error) {
 *   if (error instanceof ProblemError && error.code === 'conflict') console.log(error.problem.runningSyncLogId);
 * }
 */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  /** The API's machine-readable code; `undefined` when the answer was not one of its problems. */
  readonly code: Problem['code'] | undefined;
  /** Whether the same request may succeed later. */
  readonly retry: boolean;
  /** The whole problem body. */
  readonly problem: Problem | undefined;

  constructor(status: number, body: unknown, statusText = '') {
    const problem = isProblem(body) ? body : undefined;
    const text = typeof body === 'string' ? body.trim().slice(0, 200) : '';
    const detail = problem?.detail ?? (text || statusText || `HTTP ${status}`);
    super(`${status} ${problem?.code ?? 'error'}: ${detail}`);
    this.status = status;
    this.problem = problem;
    this.type = problem?.type ?? 'about:blank';
    this.title = problem?.title ?? statusText;
    this.detail = detail;
    this.code = problem?.code;
    // Without the API's word, only the statuses that mean "later" are worth another try.
    this.retry = problem?.retry ?? (status === 429 || status === 503);
  }
}

/** The shape of every openapi-fetch result: data on success, the parsed error body otherwise. */
export interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The data of an openapi-fetch result, or a {@link ProblemError} for a refusal.
 *
 * @example
 * const status = unwrap(await api.GET('/api/sync/pricebook/status'));
 */
export function unwrap<T>(result: FetchResult<T>): T {
  const { response } = result;
  if (!response.ok) throw new ProblemError(response.status, result.error, response.statusText);
  // openapi-fetch leaves `data` undefined only for answers the document declares empty (204).
  return result.data as T;
}
