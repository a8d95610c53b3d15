import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { describeNetworkError, safeJson, type TokenProvider } from './auth';
import { joinUrl, type StConnection } from './config';
import { rejectedError, StAmbiguousWriteError } from './errors';
import type { StRateLimiter } from './rate-limit';
import { parseRetryAfter, type RetryPolicy, retryDelay, retryHintFromBody, sleep } from './retry';
import type { StTelemetry } from './stats';

export type StMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';
export type StQuery = Record<string, string | number | boolean | null | undefined>;

/** One logical call to the pricebook API; the client may send it several times. */
export interface StRequest {
  /** Name for stats, logs and errors, e.g. `materials.list`. */
  operation: string;
  method: StMethod;
  /** Path under `/pricebook/v2/tenant/{tenant}`, e.g. `/materials/12`. */
  path: string;
  query?: StQuery;
  body?: unknown;
  /**
   * Whether sending it twice is harmless (GET, PATCH, DELETE). When false (POST creates), a
   * failure after the request may have reached ST is an {@link StAmbiguousWriteError}, never
   * a retry.
   */
  idempotent: boolean;
  /** Statuses handed back to the caller instead of thrown, e.g. `[404]` for a get. */
  passThrough?: readonly number[];
  signal?: AbortSignal;
}

export interface StResponse {
  status: number;
  /** Parsed JSON, or `undefined` for an empty body. */
  body: unknown;
  attempts: number;
}

export interface StHttpOptions {
  connection: StConnection;
  tokens: TokenProvider;
  /** In-process ({@link SlidingWindowLimiter}) or shared by every process (`SharedRateLimiter`). */
  limiter: StRateLimiter;
  retry: RetryPolicy;
  /** Timeout of one attempt (ST documents 100 s). */
  attemptTimeoutMs: number;
  /** On 429, hold every caller of the limiter for the requested wait (every process with a shared one). */
  pauseOn429: boolean;
  telemetry: StTelemetry;
  logger?: Logger;
  fetch?: typeof fetch;
  random?: () => number;
}

type Attempt =
  | { kind: 'ok'; status: number; body: unknown }
  | { kind: 'unauthorized'; status: number; body: unknown }
  | { kind: 'rejected'; status: number; body: unknown }
  | { kind: 'retry'; reason: string; hintMs: number | undefined; status: number }
  | { kind: 'ambiguous'; reason: string; status: number; cause?: unknown };

/** Socket errors that prove the request never left (safe to repeat even a POST). */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Sends pricebook API requests: rate limit → token → fetch → classify → retry. Sends
 * `Authorization: Bearer <token>` (ST also accepts the bare token; `Bearer` is the OAuth form
 * its token answer names) and `ST-App-Key`. Neither header is ever logged.
 *
 * Retried: 429, 408, 5xx, network errors and 2xx bodies that are cut short or not JSON
 * (honouring `Retry-After` or "Try again in N seconds." in the body, else exponential backoff
 * with jitter), within `maxAttempts` and `maxTotalMs`. A 401 renews the token and repeats the
 * request once. Other 4xx become `upstream_rejected`; exhausted retries `rate_limited` (last
 * answer 429) or `upstream_unavailable`, both with `retry: true`.
 *
 * @example
 * const res = await http.send({ operation: 'materials.get', method: 'GET', path: '/materials/1', idempotent: true });
 */
export class StHttp {
  private readonly prefix: string;
  private readonly fetchImpl: typeof fetch;
  private readonly random: () => number;

  constructor(private readonly options: StHttpOptions) {
    const { baseUrl, tenantId } = options.connection;
    this.prefix = joinUrl(baseUrl, `/pricebook/v2/tenant/${encodeURIComponent(tenantId)}`);
    this.fetchImpl = options.fetch ?? fetch;
    this.random = options.random ?? Math.random;
  }

  /** The absolute URL of a request (no credentials in it). */
  url(path: string, query?: StQuery): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) params.set(key, String(value));
    }
    const qs = params.toString();
    return `${this.prefix}${path}${qs ? `?${qs}` : ''}`;
  }

  /** Sends `req` until it succeeds or fails for good; see the class notes. */
  async send(req: StRequest): Promise<StResponse> {
    const { retry: policy, telemetry } = this.options;
    const started = Date.now();
    let renewedToken = false;
    for (let attempt = 1; ; attempt++) {
      // The token first: renewing it takes a round trip of its own, which must not sit between
      // the rate-limit slot and the request that uses it.
      const token = await this.options.tokens.token(req.signal);
      await this.options.limiter.acquire(req.signal);
      const result = await this.attempt(req, token, attempt);
      switch (result.kind) {
        case 'ok':
          return { status: result.status, body: result.body, attempts: attempt };
        case 'rejected':
          throw rejectedError(req.operation, result.status, result.body);
        case 'ambiguous':
          telemetry.stats.ambiguousWrites += 1;
          throw new StAmbiguousWriteError(req.operation, result.reason, {
            status: result.status,
            cause: result.cause,
          });
        case 'unauthorized':
          if (renewedToken) {
            throw new AppError('unauthorized', `ServiceTitan refused a fresh token for ${req.operation}`, {
              retry: false,
              details: { operation: req.operation, status: result.status },
            });
          }
          renewedToken = true;
          telemetry.stats.tokenRefreshesOn401 += 1;
          this.options.tokens.invalidate(token);
          continue;
        case 'retry': {
          const delay = retryDelay(attempt, capHint(result.hintMs, policy), policy, this.random);
          const overHint = result.hintMs !== undefined && result.hintMs > policy.maxRetryAfterMs;
          if (overHint || attempt >= policy.maxAttempts || Date.now() - started + delay > policy.maxTotalMs) {
            const code = result.status === 429 ? 'rate_limited' : 'upstream_unavailable';
            throw new AppError(
              code,
              `ServiceTitan ${req.operation} failed after ${attempt} attempts (${result.reason})`,
              {
                retry: true,
                details: { operation: req.operation, attempts: attempt, reason: result.reason },
              },
            );
          }
          if (result.status === 429 && this.options.pauseOn429) this.options.limiter.pauseFor(delay);
          telemetry.stats.retries += 1;
          telemetry.emit({
            type: 'retry',
            operation: req.operation,
            attempt,
            reason: result.reason,
            delayMs: delay,
          });
          this.options.logger?.warn(
            { operation: req.operation, attempt, reason: result.reason, delayMs: delay },
            'st request will be retried',
          );
          await sleep(delay, req.signal);
        }
      }
    }
  }

  private async attempt(req: StRequest, token: string, attempt: number): Promise<Attempt> {
    const { telemetry, connection } = this.options;
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      'st-app-key': connection.appKey,
      accept: 'application/json',
    };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const signals = [AbortSignal.timeout(this.options.attemptTimeoutMs)];
    if (req.signal) signals.push(req.signal);
    const sentAt = performance.now();
    telemetry.stats.requests += 1;
    let status = 0;
    let retryAfter: string | null = null;
    let text: string;
    try {
      const res = await this.fetchImpl(this.url(req.path, req.query), {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: AbortSignal.any(signals),
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      // The attempt's signal (timeout + caller) also covers reading the body.
      text = await res.text();
    } catch (error) {
      this.record(req, status === 0 ? 'network' : status, attempt, sentAt);
      if (req.signal?.aborted) {
        if (req.idempotent) throw req.signal.reason;
        return { kind: 'ambiguous', reason: 'aborted while in flight', status, cause: req.signal.reason };
      }
      const what = describeNetworkError(error);
      if (status === 0) telemetry.stats.networkErrors += 1;
      else telemetry.stats.badBodies += 1;
      const reason = status === 0 ? `network: ${what}` : `body lost after ${status}: ${what}`;
      const neverSent = status === 0 && notSentCodes.has(what);
      if (req.idempotent || neverSent) return { kind: 'retry', reason, hintMs: undefined, status };
      return { kind: 'ambiguous', reason, status, cause: error };
    }
    this.record(req, status, attempt, sentAt);
    return this.classify(req, status, text, retryAfter);
  }

  private classify(req: StRequest, status: number, text: string, retryAfter: string | null): Attempt {
    const body = safeJson(text);
    const unreadable = text !== '' && body === undefined;
    if (status >= 200 && status < 300) {
      if (status === 204 || !unreadable) return { kind: 'ok', status, body };
      this.options.telemetry.stats.badBodies += 1;
      const reason = `unreadable ${status} body (${text.length} bytes)`;
      if (req.idempotent) return { kind: 'retry', reason, hintMs: undefined, status };
      return { kind: 'ambiguous', reason, status };
    }
    if (req.passThrough?.includes(status)) return { kind: 'ok', status, body };
    if (status === 401) return { kind: 'unauthorized', status, body };
    if (status === 429) {
      this.options.telemetry.stats.rateLimited += 1;
      const hintMs = parseRetryAfter(retryAfter) ?? retryHintFromBody(body ?? text);
      return { kind: 'retry', reason: 'status 429', hintMs, status };
    }
    if (status === 408)
      return { kind: 'retry', reason: 'status 408', hintMs: parseRetryAfter(retryAfter), status };
    if (status >= 500) {
      if (!req.idempotent) return { kind: 'ambiguous', reason: `status ${status}`, status };
      return { kind: 'retry', reason: `status ${status}`, hintMs: parseRetryAfter(retryAfter), status };
    }
    return { kind: 'rejected', status, body: body ?? text };
  }

  private record(req: StRequest, status: number | 'network', attempt: number, sentAt: number): void {
    const { telemetry } = this.options;
    telemetry.countStatus(status);
    telemetry.emit({
      type: 'response',
      operation: req.operation,
      method: req.method,
      status: status === 'network' ? 0 : status,
      attempt,
      durationMs: Math.round(performance.now() - sentAt),
    });
  }
}

function capHint(hintMs: number | undefined, policy: RetryPolicy): number | undefined {
  return hintMs === undefined ? undefined : Math.min(hintMs, policy.maxRetryAfterMs);
}
