/**
 * The one error type of the engine. Every failure that crosses a boundary carries a
 * `code` from a closed list and a `retry` flag; the consumer runner maps it to
 * ack / nak / term and the API maps it to an HTTP status, each in one place.
 *
 * @example
 * throw new AppError('validation_failed', 'price must be >= 0', { details: { field: 'price' } });
 */
export const errorCodes = {
  validation_failed: { status: 400, retry: false, title: 'Validation failed' },
  bad_message: { status: 400, retry: false, title: 'Bad message' },
  unauthorized: { status: 401, retry: false, title: 'Unauthorized' },
  forbidden: { status: 403, retry: false, title: 'Forbidden' },
  not_found: { status: 404, retry: false, title: 'Not found' },
  conflict: { status: 409, retry: false, title: 'Conflict' },
  precondition_failed: { status: 412, retry: false, title: 'Precondition failed' },
  mass_delete_refused: { status: 422, retry: false, title: 'Mass delete refused' },
  rate_limited: { status: 429, retry: true, title: 'Rate limited' },
  upstream_unavailable: { status: 502, retry: true, title: 'ServiceTitan unavailable' },
  upstream_rejected: { status: 502, retry: false, title: 'ServiceTitan rejected the request' },
  unavailable: { status: 503, retry: true, title: 'Service unavailable' },
  timeout: { status: 504, retry: true, title: 'Timed out' },
  internal: { status: 500, retry: true, title: 'Internal error' },
} as const satisfies Record<string, { status: number; retry: boolean; title: string }>;

export type ErrorCode = keyof typeof errorCodes;

export interface AppErrorOptions {
  /** Overrides the code's default retry flag. */
  retry?: boolean;
  /** Machine-readable details (field errors, ids); never secrets. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retry: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retry = options.retry ?? errorCodes[code].retry;
    this.details = options.details;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }
}

/** Any thrown value as an AppError; unknown errors are `internal` and retryable. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('internal', message, { cause: error });
}

/** RFC 7807 body, `application/problem+json`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  retry: boolean;
  instance?: string;
  errors?: unknown;
  [key: string]: unknown;
}

export function toProblem(error: unknown, instance?: string): Problem {
  const e = toAppError(error);
  const { title, status } = errorCodes[e.code];
  const detail = e.code === 'internal' ? 'An unexpected error occurred.' : e.message;
  return {
    type: `https://pricebook-sync.dev/problems/${e.code.replaceAll('_', '-')}`,
    title,
    status,
    detail,
    code: e.code,
    retry: e.retry,
    ...(instance ? { instance } : {}),
    ...(e.details ?? {}),
  };
}
