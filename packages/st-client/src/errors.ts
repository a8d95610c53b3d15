import { StGatewayError, StProblem } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';

/**
 * Why a create's outcome is unknown: the request may have reached ST and been applied, but no
 * usable answer came back (connection lost after sending, 5xx, a 201 with a broken body).
 * The client never repeats such a POST on its own, because a blind retry could create a
 * duplicate. Resolve it by reading back: create with `externalData` carrying your own key,
 * then `findByExternalData` (or `listByIds` for a bulk create's known ids) to see whether the
 * item exists. It is an `AppError('upstream_unavailable')` with `retry: true`, meaning "retry
 * the *operation* after the read-back", not "repeat the request".
 *
 * @example
 * try { await client.create('materials', body); }
 * catch (e) { if (e instanceof StAmbiguousWriteError) await client.findByExternalData('materials', lookup); }
 */
export class StAmbiguousWriteError extends AppError {
  readonly ambiguous = true;

  constructor(operation: string, reason: string, options: { status?: number; cause?: unknown } = {}) {
    super(
      'upstream_unavailable',
      `outcome of ${operation} is unknown (${reason}); read back before retrying`,
      {
        retry: true,
        cause: options.cause,
        details: {
          operation,
          outcome: 'unknown',
          reason,
          ...(options.status ? { status: options.status } : {}),
        },
      },
    );
    this.name = 'StAmbiguousWriteError';
  }
}

/**
 * Whether an error is an ambiguous write (see {@link StAmbiguousWriteError}).
 *
 * @example
 * if (isAmbiguousWrite(error)) await readBack();
 */
export function isAmbiguousWrite(error: unknown): error is StAmbiguousWriteError {
  return error instanceof StAmbiguousWriteError;
}

/** What an ST error body says, reduced to the parts worth keeping (never request headers). */
export interface StErrorSummary {
  title?: string;
  traceId?: string;
  errors?: Record<string, unknown>;
}

/**
 * Reads an ST error body: RFC 7807 (`title`, `errors`, `traceId`) or the gateway's
 * `{ statusCode, message }`.
 *
 * @example
 * summarizeErrorBody({ title: 'Validation failed', errors: { Code: ['taken'] } });
 */
export function summarizeErrorBody(body: unknown): StErrorSummary {
  const problem = StProblem.safeParse(body);
  if (problem.success && (problem.data.title || problem.data.errors)) {
    const out: StErrorSummary = {};
    if (problem.data.title) out.title = problem.data.title;
    if (problem.data.traceId) out.traceId = problem.data.traceId;
    if (problem.data.errors) out.errors = problem.data.errors;
    return out;
  }
  const gateway = StGatewayError.safeParse(body);
  if (gateway.success) return { title: gateway.data.message };
  if (typeof body === 'string' && body.trim() !== '') return { title: body.trim().slice(0, 200) };
  return {};
}

/**
 * The error for a 4xx that retrying cannot fix: `upstream_rejected` with ST's `errors`.
 *
 * @example
 * throw rejectedError('materials.patch', 400, body);
 */
export function rejectedError(operation: string, status: number, body: unknown): AppError {
  const summary = summarizeErrorBody(body);
  const title = summary.title ? `: ${summary.title}` : '';
  return new AppError('upstream_rejected', `ServiceTitan rejected ${operation} with ${status}${title}`, {
    details: { operation, status, ...summary },
  });
}
