import { AppError } from '@pricebook/errors';
import { z } from 'zod';
import { joinUrl } from './config';
import {
  defaultRetryPolicy,
  parseRetryAfter,
  type RetryPolicy,
  retryDelay,
  retryHintFromBody,
  sleep,
} from './retry';
import type { StTelemetry } from './stats';

/** The OAuth token answer; extra fields (`scope`, …) are ignored. */
const TokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  token_type: z.string().optional(),
});

export interface TokenProviderOptions {
  /** Auth origin; the token endpoint is `${authUrl}/connect/token`. */
  authUrl: string;
  clientId: string;
  clientSecret: string;
  /** Renew this long before the stated expiry (capped at half the token's lifetime). */
  renewMarginMs?: number;
  /** Per-attempt timeout of a token request. */
  timeoutMs?: number;
  retry?: RetryPolicy;
  telemetry?: StTelemetry;
  fetch?: typeof fetch;
  /** Wall clock in ms; injectable for tests. */
  now?: () => number;
}

interface CachedToken {
  token: string;
  renewAt: number;
}

/**
 * OAuth 2.0 client-credentials tokens for one client id. The token is cached and renewed
 * `renewMarginMs` before it expires; concurrent callers share one in-flight request (ST
 * throttles token requests); `invalidate` drops a token the API refused so that the next
 * caller fetches a new one. Credentials go only into the form body, never into a log line or
 * an error message.
 *
 * @example
 * const tokens = new TokenProvider({ authUrl, clientId, clientSecret });
 * const token = await tokens.token(signal);
 */
export class TokenProvider {
  private cached: CachedToken | undefined;
  private inflight: Promise<CachedToken> | undefined;
  private invalidated = false;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly policy: RetryPolicy;

  constructor(private readonly options: TokenProviderOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.policy = options.retry ?? defaultRetryPolicy;
  }

  /** A valid access token (cached, or fetched now). Rejects with the signal's reason on abort. */
  async token(signal?: AbortSignal): Promise<string> {
    signal?.throwIfAborted();
    const cached = this.cached;
    if (cached && this.now() < cached.renewAt) return cached.token;
    if (!this.inflight) {
      const reason = this.invalidated ? 'unauthorized' : cached ? 'expiring' : 'initial';
      this.inflight = this.fetchToken(reason).finally(() => {
        this.inflight = undefined;
      });
    }
    const fresh = await raceAbort(this.inflight, signal);
    return fresh.token;
  }

  /** Forgets `token` if it is still the cached one (a 401 proved it dead). */
  invalidate(token: string): void {
    if (this.cached?.token !== token) return;
    this.cached = undefined;
    this.invalidated = true;
  }

  private async fetchToken(reason: 'initial' | 'expiring' | 'unauthorized'): Promise<CachedToken> {
    const telemetry = this.options.telemetry;
    telemetry?.emit({ type: 'token', reason });
    const started = this.now();
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt();
      if ('token' in outcome) {
        this.cached = outcome;
        this.invalidated = false;
        return outcome;
      }
      const elapsed = this.now() - started;
      const delay = retryDelay(attempt, outcome.hintMs, this.policy);
      if (attempt >= this.policy.maxAttempts || elapsed + delay > this.policy.maxTotalMs) {
        throw new AppError(
          'upstream_unavailable',
          `ServiceTitan auth server unavailable (${outcome.reason})`,
          {
            retry: true,
            details: { operation: 'auth.token', attempts: attempt, reason: outcome.reason },
          },
        );
      }
      telemetry?.emit({
        type: 'retry',
        operation: 'auth.token',
        attempt,
        reason: outcome.reason,
        delayMs: delay,
      });
      await sleep(delay);
    }
  }

  private async attempt(): Promise<CachedToken | { reason: string; hintMs: number | undefined }> {
    const { authUrl, clientId, clientSecret } = this.options;
    if (this.options.telemetry) this.options.telemetry.stats.tokenRequests += 1;
    let status = 0;
    let text = '';
    let retryAfter: string | null = null;
    try {
      const res = await this.fetchImpl(joinUrl(authUrl, '/connect/token'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      text = await res.text();
    } catch (error) {
      return {
        reason: status ? `body lost after ${status}` : `network: ${describeNetworkError(error)}`,
        hintMs: undefined,
      };
    }
    const body = safeJson(text);
    if (status === 200) {
      const parsed = TokenResponse.safeParse(body);
      if (!parsed.success) return { reason: 'unreadable token response', hintMs: undefined };
      const lifetimeMs = parsed.data.expires_in * 1000;
      const margin = Math.min(this.options.renewMarginMs ?? 60_000, lifetimeMs / 2);
      return { token: parsed.data.access_token, renewAt: this.now() + lifetimeMs - margin };
    }
    if (status === 429 || status === 408 || status >= 500) {
      const hintMs = parseRetryAfter(retryAfter) ?? retryHintFromBody(body);
      return { reason: `status ${status}`, hintMs };
    }
    const oauthError = isRecord(body) && typeof body.error === 'string' ? body.error : undefined;
    throw new AppError('unauthorized', `ServiceTitan refused the client credentials (${status})`, {
      retry: false,
      details: { operation: 'auth.token', status, ...(oauthError ? { error: oauthError } : {}) },
    });
  }
}

/**
 * `JSON.parse`, or `undefined` for text that is not JSON.
 *
 * @example
 * safeJson('{"a":1}'); // { a: 1 }
 * safeJson('{"a":'); // undefined
 */
export function safeJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/**
 * A short description of a fetch failure: the socket error code when there is one.
 *
 * @example
 * describeNetworkError(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })); // 'ECONNRESET'
 */
export function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = isRecord(cause) && typeof cause.code === 'string' ? cause.code : undefined;
  if (code) return code;
  if (error instanceof Error) return error.name === 'TimeoutError' ? 'timeout' : error.message;
  return String(error);
}

/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts.
 *
 * @example
 * const token = await raceAbort(sharedTokenRequest, signal);
 */
export function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
