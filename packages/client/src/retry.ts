/**
 * Retries of 429 and 503 answers, and of connections that fail, in the fetch layer under
 * openapi-fetch: each attempt sends a clone of the request, so a body can be sent again. Small
 * code rather than p-retry: its current major needs Node 22, and it retries thrown errors with its
 * own delays, where these retries are mostly decided by an answer and wait what the server's
 * `Retry-After` names.
 */
import { networkFailure } from './network-failure';

/** What one retry is about to do, for a caller that wants to show or log it. */
export interface RetryEvent {
  /** The attempt that just failed (1 = the first). */
  attempt: number;
  /** The answer's status; `undefined` when the connection failed and there was no answer. */
  status: number | undefined;
  /** Why, for a person: `"503 answer"`, or the connection's failure (`"connection refused"`). */
  reason: string;
  /** How long the client waits before the next attempt. */
  delayMs: number;
  method: string;
  url: string;
}

/** Bounds of the retries of one request. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 4). */
  maxAttempts?: number;
  /** First backoff step when the server names no wait (default 250 ms); step n waits up to `baseDelayMs * 2^(n-1)`. */
  baseDelayMs?: number;
  /** Cap of one backoff wait (default 5 s). */
  maxDelayMs?: number;
  /** Longest `Retry-After` the client waits for; a longer one ends the retries (default 30 s). */
  maxRetryAfterMs?: number;
  /** Called before each wait. */
  onRetry?: (event: RetryEvent) => void;
}

/**
 * The bounds used when a client is given no `retry` option.
 *
 * @example
 * createApiClient({ baseUrl, retry: { ...defaultRetry, maxAttempts: 6 } });
 */
export const defaultRetry = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
} as const satisfies RetryOptions;

/** Methods that do the same thing however often they are sent (RFC 9110, 9.2.2). */
const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * Milliseconds a `Retry-After` header asks for: delta-seconds or an HTTP date; `undefined` when
 * absent or unreadable, never negative.
 *
 * @example
 * parseRetryAfter('3'); // 3000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:58 GMT')); // 2000
 */
export function parseRetryAfter(value: string | null, nowMs: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * Whether sending the request twice does no more than sending it once: an idempotent method, or
 * an `Idempotency-Key`. Only these are sent again after a connection fails.
 *
 * @example
 * safeToResend(new Request(url, { method: 'POST' })); // false
 */
export function safeToResend(request: Request): boolean {
  return idempotentMethods.has(request.method) || request.headers.has('idempotency-key');
}

/**
 * Whether a failed attempt may be sent again. Only 429 and 503: both mean "not now". A method
 * that is not idempotent (POST, PATCH) is sent again only when it carries an `Idempotency-Key`,
 * or when the refusal says nothing was done: a 429 is refused before any work, and the API's own
 * 503 problem (`retry: true`) is answered before anything changed (docs/api.md, "While a
 * dependency is down"). A bare 503 from something in between may come after the work, so a POST
 * is not repeated on it.
 */
async function mayRetry(request: Request, response: Response): Promise<boolean> {
  if (response.status !== 429 && response.status !== 503) return false;
  if (safeToResend(request)) return true;
  if (response.status === 429) return true;
  if (!(response.headers.get('content-type') ?? '').includes('json')) return false;
  try {
    const body: unknown = await response.clone().json();
    return body !== null && typeof body === 'object' && 'retry' in body && body.retry === true;
  } catch {
    return false;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The wait before attempt `attempt + 1`: the server's `Retry-After` when it names one (`undefined`
 * when that is longer than the cap: give up), else exponential backoff with jitter in
 * `[step/2, step]`.
 *
 * @example
 * retryDelay(2, undefined, { ...defaultRetry }); // between 250 and 500
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  options: Required<Omit<RetryOptions, 'onRetry'>>,
  random: () => number = Math.random,
): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs <= options.maxRetryAfterMs ? retryAfterMs : undefined;
  return backoffDelay(attempt, options, random);
}

/** Exponential backoff with jitter in `[step/2, step]`: the wait when nobody named one. */
function backoffDelay(
  attempt: number,
  options: Pick<Required<RetryOptions>, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * Whether a rejected attempt may be sent again: a connection that failed, of a request that is
 * safe to send twice, that the caller did not abort. A POST or PATCH without an
 * `Idempotency-Key` is not: the connection may have dropped after the API did the work.
 */
function mayResend(request: Request, error: unknown): string | undefined {
  if (request.signal.aborted || !safeToResend(request)) return undefined;
  const failure = networkFailure(error);
  return failure?.transient ? failure.reason : undefined;
}

/**
 * A `fetch` that sends a request again on 429 and 503, and on a connection that fails when the
 * request is safe to send twice (see {@link RetryOptions}), honouring `Retry-After`. It returns
 * the last answer, or rethrows the last connection error unchanged, when the attempts or the
 * patience run out. `false` turns retries off.
 *
 * @example
 * const fetchWithRetries = retryingFetch(globalThis.fetch, { maxAttempts: 3 });
 */
export function retryingFetch(base: typeof fetch, options: RetryOptions | false = {}): typeof fetch {
  if (options === false) return base;
  const bounds = { ...defaultRetry, ...options };
  return async (input, init) => {
    const request = new Request(input, init);
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await base(request.clone());
      } catch (error) {
        const reason = mayResend(request, error);
        if (reason === undefined || attempt >= bounds.maxAttempts) throw error;
        const delayMs = backoffDelay(attempt, bounds);
        const { method, url } = request;
        options.onRetry?.({ attempt, status: undefined, reason, delayMs, method, url });
        await sleep(delayMs, request.signal);
        continue;
      }
      if (attempt >= bounds.maxAttempts || !(await mayRetry(request, response))) return response;
      const delayMs = retryDelay(attempt, parseRetryAfter(response.headers.get('retry-after')), bounds);
      if (delayMs === undefined) return response;
      // The answer is dropped: free its connection before waiting.
      await response.body?.cancel();
      options.onRetry?.({
        attempt,
        status: response.status,
        reason: `${response.status} answer`,
        delayMs,
        method: request.method,
        url: request.url,
      });
      await sleep(delayMs, request.signal);
    }
  };
}
