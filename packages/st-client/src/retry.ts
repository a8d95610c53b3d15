import { setTimeout as delay } from 'node:timers/promises';
/**
 * Retry timing: how long ST asks us to wait, and our own backoff when it does not say.
 * Pure functions, except {@link sleep}.
 */

/** Bounds of the retry loop of one request. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Wall time for all attempts and waits of one request; no retry starts past it. */
  maxTotalMs: number;
  /** First backoff step; step n waits up to `baseDelayMs * 2^(n-1)`. */
  baseDelayMs: number;
  /** Cap of one backoff wait. */
  maxDelayMs: number;
  /** Cap of a server-requested wait (`Retry-After`); longer requests end the retries. */
  maxRetryAfterMs: number;
}

/** Defaults sized for ST: 8 attempts within 2 minutes, backoff 250 ms → 15 s. */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 8,
  maxTotalMs: 120_000,
  baseDelayMs: 250,
  maxDelayMs: 15_000,
  maxRetryAfterMs: 60_000,
};

/**
 * Milliseconds a `Retry-After` header asks for: delta-seconds or an HTTP date. `undefined`
 * when absent or unreadable; never negative.
 *
 * @example
 * parseRetryAfter('3'); // 3000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:58 GMT')); // 2000
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

const waitSentence = /try again in (\d+(?:\.\d+)?) seconds?/i;

/**
 * Milliseconds asked for in an error body: the RFC 7807 `title` (`"… Try again in N
 * seconds."`) or the gateway's `{ statusCode, message }`. Accepts the raw text or parsed JSON.
 *
 * @example
 * retryHintFromBody({ statusCode: 429, message: 'Rate limit is exceeded. Try again in 2 seconds.' }); // 2000
 */
export function retryHintFromBody(body: unknown): number | undefined {
  const texts: string[] = [];
  if (typeof body === 'string') texts.push(body);
  else if (body !== null && typeof body === 'object') {
    for (const key of ['title', 'message', 'detail'] as const) {
      const value = (body as Record<string, unknown>)[key];
      if (typeof value === 'string') texts.push(value);
    }
  }
  for (const text of texts) {
    const m = waitSentence.exec(text);
    if (m?.[1] !== undefined) return Math.round(Number(m[1]) * 1000);
  }
  return undefined;
}

/**
 * Exponential backoff with full jitter: a random wait in `[step/2, step]` where
 * `step = min(maxDelayMs, baseDelayMs * 2^(retry-1))`. `random` is injectable for tests.
 *
 * @example
 * backoffDelay(3, defaultRetryPolicy, () => 1); // 1000
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

/**
 * The wait before retry number `retry`: the server's hint (plus up to 10 % jitter, so that
 * callers told the same number do not return in lockstep) or our backoff.
 *
 * @example
 * retryDelay(1, 2000, defaultRetryPolicy, () => 0); // 2000
 */
export function retryDelay(
  retry: number,
  hintMs: number | undefined,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  if (hintMs === undefined) return backoffDelay(retry, policy, random);
  return Math.round(hintMs + hintMs * 0.1 * random());
}

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as it aborts.
 *
 * @example
 * await sleep(500, AbortSignal.timeout(10_000));
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  // Node's timer rejects with an AbortError; callers expect the signal's own reason (e.g. a timeout).
  await delay(ms, undefined, { signal }).catch(() => {
    throw signal?.reason;
  });
}
