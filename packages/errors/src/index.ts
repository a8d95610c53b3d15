import { type Dependency, dependencyDown, unreachableDependency } from './infrastructure';

export { type Dependency, dependencyDown, unreachableDependency } from './infrastructure';

/**
 * What a failure says about the message that met it, and so what the consumer runner does:
 * - `message`: the message itself is bad (terminal): terminate it and record the reason;
 * - `infrastructure`: a dependency is down or overloaded: wait for it, however long, without
 *   counting the try against the message's retry budget;
 * - `bug`: anything else: retry within the message's budget, then record it.
 */
export type FailureKind = 'message' | 'infrastructure' | 'bug';

interface CodeInfo {
  status: number;
  retry: boolean;
  title: string;
  /** The kind of a retryable error of this code (a non-retryable one is always `message`). */
  kind: 'infrastructure' | 'bug';
  /** The dependency this code means is down, when the code alone says so. */
  dependency?: Dependency;
}

/**
 * The one error type of the engine. Every failure that crosses a boundary carries a
 * `code` from a closed list and a `retry` flag; the consumer runner maps it to
 * ack / nak / term and the API maps it to an HTTP status, each in one place.
 *
 * @example
 * throw new AppError('validation_failed', 'price must be >= 0', { details: { field: 'price' } });
 */
export const errorCodes = {
  validation_failed: { status: 400, retry: false, title: 'Validation failed', kind: 'bug' },
  bad_message: { status: 400, retry: false, title: 'Bad message', kind: 'bug' },
  unauthorized: { status: 401, retry: false, title: 'Unauthorized', kind: 'bug' },
  forbidden: { status: 403, retry: false, title: 'Forbidden', kind: 'bug' },
  not_found: { status: 404, retry: false, title: 'Not found', kind: 'bug' },
  conflict: { status: 409, retry: false, title: 'Conflict', kind: 'bug' },
  precondition_failed: { status: 412, retry: false, title: 'Precondition failed', kind: 'bug' },
  mass_delete_refused: { status: 422, retry: false, title: 'Mass delete refused', kind: 'bug' },
  /** The tenant is paused or removed, or its credentials cannot be used: its syncs wait for an operator. */
  tenant_unavailable: { status: 409, retry: false, title: 'Tenant unavailable', kind: 'bug' },
  rate_limited: {
    status: 429,
    retry: true,
    title: 'Rate limited',
    kind: 'infrastructure',
    dependency: 'servicetitan',
  },
  upstream_unavailable: {
    status: 502,
    retry: true,
    title: 'ServiceTitan unavailable',
    kind: 'infrastructure',
    dependency: 'servicetitan',
  },
  upstream_rejected: { status: 502, retry: false, title: 'ServiceTitan rejected the request', kind: 'bug' },
  unavailable: { status: 503, retry: true, title: 'Service unavailable', kind: 'infrastructure' },
  timeout: { status: 504, retry: true, title: 'Timed out', kind: 'infrastructure' },
  internal: { status: 500, retry: true, title: 'Internal error', kind: 'bug' },
} as const satisfies Record<string, CodeInfo>;

export type ErrorCode = keyof typeof errorCodes;

export interface AppErrorOptions {
  /** Overrides the code's default retry flag. */
  retry?: boolean;
  /** Machine-readable details (field errors, ids); never secrets. */
  details?: Record<string, unknown>;
  cause?: unknown;
  /** The dependency that is down (for `unavailable` and `timeout`; ServiceTitan's codes imply it). */
  dependency?: Dependency;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retry: boolean;
  readonly details: Record<string, unknown> | undefined;
  readonly dependency: Dependency | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retry = options.retry ?? errorCodes[code].retry;
    this.details = options.details;
    const info: CodeInfo = errorCodes[code];
    this.dependency = options.dependency ?? info.dependency;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }

  /**
   * How the consumer runner treats it; see {@link FailureKind}. An outage names its dependency:
   * `unavailable` without one ("not yet", e.g. a fence waiting for its decisions) is retried
   * within the budget like a bug.
   */
  get kind(): FailureKind {
    if (!this.retry) return 'message';
    return errorCodes[this.code].kind === 'infrastructure' && this.dependency ? 'infrastructure' : 'bug';
  }
}

/**
 * Any thrown value as an AppError, classified: a driver's connection failure (database down,
 * NATS disconnected) becomes `unavailable` naming the dependency; other unknown errors are
 * `internal` and retryable (a bug).
 *
 * @example
 * toAppError(pgConnectionRefused); // AppError('unavailable', 'Database connection failed', { dependency: 'database' })
 * toAppError(pgConnectionRefused).kind; // 'infrastructure'
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError && error.code !== 'internal') return error;
  const dependency = unreachableDependency(error);
  if (dependency)
    return new AppError('unavailable', dependencyDown[dependency], { dependency, cause: error });
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
  /** The dependency that is down, on a 503. */
  dependency?: Dependency;
  [key: string]: unknown;
}

/** An outage is told in the same words everywhere ("Database connection failed"), not the driver's. */
function outageDetail(e: AppError): string | undefined {
  if (e.code !== 'unavailable' || !e.dependency) return undefined;
  const phrase = dependencyDown[e.dependency];
  return e.message.includes(phrase) ? e.message : phrase;
}

export function toProblem(error: unknown, instance?: string): Problem {
  const e = toAppError(error);
  const { title, status } = errorCodes[e.code];
  const detail = e.code === 'internal' ? 'An unexpected error occurred.' : (outageDetail(e) ?? e.message);
  return {
    type: `https://pricebook-sync.dev/problems/${e.code.replaceAll('_', '-')}`,
    title,
    status,
    detail,
    code: e.code,
    retry: e.retry,
    ...(e.dependency ? { dependency: e.dependency } : {}),
    ...(instance ? { instance } : {}),
    ...(e.details ?? {}),
  };
}
