import type { Answer } from './send';

/** How one attempt ended, before it is recorded. */
export type Outcome =
  | { kind: 'succeeded'; status: number }
  /** 410 Gone: the receiver asks never to be called again. */
  | { kind: 'gone'; status: number }
  | { kind: 'failed'; status: number | null; error: string; retryAfterMs?: number | undefined }
  /** The URL no longer passes the guard (its host now resolves to a private address). */
  | { kind: 'refused_url'; error: string };

/** Longest `Retry-After` honoured; a longer one waits this long. */
export const maxRetryAfterMs = 86_400_000;

/**
 * What a receiver's answer means: only 2xx succeeds; 410 disables the subscription; anything
 * else (3xx included: redirects are not followed) fails, and 429 or 503 may name when to retry.
 *
 * @example
 * outcomeOf({ status: 503, retryAfterMs: 120_000 }); // { kind: 'failed', status: 503, …, retryAfterMs: 120000 }
 */
export function outcomeOf(answer: Answer): Outcome {
  const { status } = answer;
  if (status >= 200 && status < 300) return { kind: 'succeeded', status };
  if (status === 410) return { kind: 'gone', status };
  const honoured = status === 429 || status === 503 ? answer.retryAfterMs : undefined;
  return {
    kind: 'failed',
    status,
    error: status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`,
    retryAfterMs: honoured === undefined ? undefined : Math.min(honoured, maxRetryAfterMs),
  };
}

/** A network failure in words for the delivery log (never a secret: only codes and messages of sockets). */
export function describeFailure(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      return 'the receiver did not answer in time';
    const code: unknown = Reflect.get(err, 'code');
    return typeof code === 'string' ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
