import { createHash } from 'node:crypto';
import type { Logger } from '@pricebook/logger';
import {
  defaultRateLimit,
  type RateLimiterOptions,
  type StRateLimiter,
  tenantRateLimiter,
} from './rate-limit';
import { WaiterLine } from './waiters';

/** One reservation asked of a {@link RateBudgetStore}. */
export interface RateBudgetRequest {
  /** The budget's key (see {@link rateBudgetKey}); never the app key in clear. */
  key: string;
  /** Slots wanted; the store grants between 0 and this many. */
  want: number;
  /** Slots that may be held at once. */
  limit: number;
  /** How long each granted slot stays held, measured on the store's own clock. */
  holdMs: number;
}

/** The store's answer to a reservation. */
export interface RateBudgetGrant {
  /** Slots granted, 0 to `want`. */
  granted: number;
  /** When nothing was granted: how long until a slot frees up or the pause ends. */
  retryInMs: number;
}

/**
 * Where the budget of every process lives. A store must grant atomically (two callers can never
 * both take the last slot) and measure time on one clock of its own, never the callers'.
 */
export interface RateBudgetStore {
  /** Takes up to `want` free slots of the budget; a paused budget grants none. */
  reserve(request: RateBudgetRequest): Promise<RateBudgetGrant>;
  /** Grants nothing from the budget for `ms` from now (extends, never shortens, a pause). */
  pause(key: string, ms: number): Promise<void>;
}

export interface SharedRateLimiterOptions {
  store: RateBudgetStore;
  /** ST keys its limit by (application key, tenant); the key is hashed before it is stored. */
  appKey: string;
  tenantId: string;
  /** The limit, its window and the safety margin (default 60 per 1 s + 250 ms). */
  rate?: RateLimiterOptions;
  /** Most slots taken in one round trip (default 10). */
  maxBatch?: number;
  /**
   * A reserved slot is used within this long after its reservation returns, or dropped (default
   * 100 ms). The store holds it that long plus the round trip, the window and the margin.
   */
  useWithinMs?: number;
  /** A store call slower than this counts as a failure (default 1 000 ms). */
  storeTimeoutMs?: number;
  /** After a store failure the in-process limiter serves alone for this long (default 2 000 ms). */
  storeRetryMs?: number;
  /** The backstop while the store fails; default the process-wide limiter of the tenant. */
  insurance?: StRateLimiter;
  logger?: Logger;
  /** Monotonic clock in ms; injectable for tests. */
  now?: () => number;
}

/** What the limiter did since it was made. */
export interface SharedRateLimiterStats {
  /** Slots handed to callers from the shared budget. */
  sharedGrants: number;
  /** Slots the in-process limiter handed out while the store was failing. */
  localGrants: number;
  /** Round trips to the store for slots. */
  reservations: number;
  /** Store calls that failed or timed out. */
  storeFailures: number;
}

/**
 * The budget key of an (application key, tenant) pair: the app key only as a SHA-256 prefix, so
 * the table an operator reads holds no credential.
 *
 * @example
 * rateBudgetKey('ak1.secret', '3222348440'); // 'st:5c0f…:3222348440'
 */
export function rateBudgetKey(appKey: string, tenantId: string): string {
  const digest = createHash('sha256').update(appKey).digest('hex').slice(0, 32);
  return `st:${digest}:${tenantId}`;
}

/**
 * ServiceTitan's rate limit counted across every process and replica that shares `store`: one
 * budget per (application key, tenant), as ST counts it. Callers wait for a slot rather than
 * fail. Slots are reserved a few at a time (as many as are waiting, or as were used in the last
 * `useWithinMs`, up to `maxBatch`), so a busy process pays one round trip per batch.
 *
 * Why at most `limit` requests reach ST in any window: the store holds each slot from its grant
 * until `usable + windowMs + marginMs` later on its own clock (`usable` is `useWithinMs` plus the
 * store's round trip), and never holds more than `limit` at once. Here a slot is used only within
 * `usable` of sending the reservation, which is before the store's grant time plus `usable`. So
 * any `limit + 1` requests arriving within one window (sent at most `marginMs` before arriving)
 * would need `limit + 1` slots held at the moment of the latest grant.
 *
 * A 429 pauses the shared budget for every process (see {@link pauseFor}). When the store fails
 * or is slow, callers are served by the in-process `insurance` limiter instead, never refused,
 * and the store is tried again after `storeRetryMs`.
 *
 * @example
 * const limiter = new SharedRateLimiter({ store: pgRateBudgetStore(orm), appKey, tenantId, logger });
 * const st = new StClient({ ...connection, rateLimiter: limiter, pauseOn429: true });
 */
export class SharedRateLimiter implements StRateLimiter {
  /** The key of this budget in the store. */
  readonly key: string;
  private readonly queue = new WaiterLine();
  private readonly recent: number[] = [];
  private tokens = 0;
  private tokensUntil = Number.NEGATIVE_INFINITY;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private storeDownUntil = Number.NEGATIVE_INFINITY;
  private storeFailing = false;
  private reserving = false;
  /** The store's round trip, remembered high (a slow one counts at once, a fast one slowly). */
  private roundTripMs = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly counters: SharedRateLimiterStats = {
    sharedGrants: 0,
    localGrants: 0,
    reservations: 0,
    storeFailures: 0,
  };
  private readonly rate: RateLimiterOptions;
  private readonly maxBatch: number;
  private readonly useWithinMs: number;
  private readonly storeTimeoutMs: number;
  private readonly storeRetryMs: number;
  private readonly insurance: StRateLimiter;
  private readonly now: () => number;

  constructor(private readonly options: SharedRateLimiterOptions) {
    this.key = rateBudgetKey(options.appKey, options.tenantId);
    this.rate = options.rate ?? defaultRateLimit;
    if (!Number.isInteger(this.rate.limit) || this.rate.limit < 1) throw new RangeError('limit must be >= 1');
    this.maxBatch = Math.max(1, Math.min(options.maxBatch ?? 10, this.rate.limit));
    this.useWithinMs = options.useWithinMs ?? 100;
    this.storeTimeoutMs = options.storeTimeoutMs ?? 1000;
    this.storeRetryMs = options.storeRetryMs ?? 2000;
    this.insurance = options.insurance ?? tenantRateLimiter(options.tenantId, this.rate);
    this.now = options.now ?? (() => performance.now());
  }

  /** Resolves when the caller may send one request; rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.now() < this.storeDownUntil) return this.viaInsurance(signal);
    if (this.queue.length === 0 && this.takeToken()) return Promise.resolve();
    const granted = this.queue.wait(signal);
    this.pump();
    return granted;
  }

  /**
   * Holds every process back for `ms` (ST answered 429): at once here, and through the store for
   * the others, which see it at their next reservation. Resolves once the store has it, or has
   * failed to take it (the in-process pause applies either way); never rejects.
   */
  async pauseFor(ms: number): Promise<void> {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.tokens = 0;
    this.insurance.pauseFor(ms);
    this.reschedule();
    try {
      await withTimeout(this.options.store.pause(this.key, ms), this.storeTimeoutMs);
    } catch (err) {
      this.counters.storeFailures += 1;
      this.options.logger?.warn({ err, budget: this.key, pauseMs: ms }, 'st rate budget pause not shared');
    }
  }

  /** Requests waiting for a slot from the shared budget. */
  get waiting(): number {
    return this.queue.length;
  }

  /** A copy of the counters. */
  stats(): SharedRateLimiterStats {
    return { ...this.counters };
  }

  private takeToken(): boolean {
    const now = this.now();
    if (now < this.pausedUntil) return false;
    if (this.tokens === 0 || now >= this.tokensUntil) {
      this.tokens = 0;
      return false;
    }
    this.tokens -= 1;
    this.counters.sharedGrants += 1;
    this.recent.push(now);
    return true;
  }

  private pump = (): void => {
    this.timer = undefined;
    while (this.queue.length > 0 && this.takeToken()) this.queue.serveFirst();
    if (this.queue.length === 0 || this.reserving || this.timer !== undefined) return;
    const now = this.now();
    if (now < this.pausedUntil) {
      this.timer = setTimeout(this.pump, Math.ceil(this.pausedUntil - now) + 1);
      return;
    }
    void this.reserve();
  };

  private reschedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pump();
  }

  /** One round trip: as many slots as are waiting or were used lately, up to `maxBatch`. */
  private async reserve(): Promise<void> {
    this.reserving = true;
    const sentAt = this.now();
    while (this.recent.length > 0 && (this.recent[0] ?? 0) <= sentAt - this.useWithinMs) this.recent.shift();
    const want = Math.min(this.maxBatch, Math.max(this.queue.length, this.recent.length, 1));
    const { limit, windowMs, marginMs } = this.rate;
    // Slots count from before the round trip, so they must outlast it; a store slower than
    // `useWithinMs` would otherwise hand out slots that are stale on arrival, forever.
    const usableMs = this.useWithinMs + Math.min(this.roundTripMs, this.storeTimeoutMs);
    let retryInMs = 0;
    try {
      this.counters.reservations += 1;
      const grant = await withTimeout(
        this.options.store.reserve({
          key: this.key,
          want,
          limit,
          holdMs: usableMs + windowMs + marginMs,
        }),
        this.storeTimeoutMs,
      );
      this.storeBack();
      const took = this.now() - sentAt;
      this.roundTripMs = Math.max(took, this.roundTripMs * 0.9 + took * 0.1);
      if (grant.granted > 0) {
        this.tokens = grant.granted;
        // Counted from before the round trip, so the slot is used before the store's hold ends.
        this.tokensUntil = sentAt + usableMs;
      } else {
        retryInMs = Math.max(1, Math.min(grant.retryInMs, 5_000));
      }
    } catch (err) {
      this.storeFailed(err);
    } finally {
      this.reserving = false;
    }
    if (retryInMs > 0 && this.queue.length > 0) {
      this.timer = setTimeout(this.pump, retryInMs);
      return;
    }
    this.pump();
  }

  private viaInsurance(signal: AbortSignal | undefined): Promise<void> {
    return this.insurance.acquire(signal).then(() => {
      this.counters.localGrants += 1;
    });
  }

  /** The store failed: every waiter moves to the in-process limiter until `storeRetryMs` passed. */
  private storeFailed(err: unknown): void {
    this.counters.storeFailures += 1;
    this.storeDownUntil = this.now() + this.storeRetryMs;
    this.tokens = 0;
    if (!this.storeFailing) {
      this.storeFailing = true;
      this.options.logger?.warn(
        { err, budget: this.key, retryInMs: this.storeRetryMs },
        'st rate budget store unreachable; the in-process limit applies',
      );
    }
    for (const waiter of this.queue.takeAll()) {
      this.viaInsurance(waiter.signal).then(waiter.resolve, waiter.reject);
    }
  }

  private storeBack(): void {
    if (!this.storeFailing) return;
    this.storeFailing = false;
    this.options.logger?.info({ budget: this.key }, 'st rate budget store reachable again');
  }
}

/** Rejects when `promise` has not settled within `ms`; the late result is dropped. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rate budget store did not answer in ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
