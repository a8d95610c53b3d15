/**
 * The per-tenant request limiter. ST allows 60 calls per second per (application, tenant),
 * counted where it receives them; we count where we send them, so the window is widened by a
 * margin that absorbs network and event-loop jitter between the two clocks.
 */
import { WaiterLine } from './waiters';

export interface RateLimiterOptions {
  /** Requests allowed in any window. */
  limit: number;
  /** Window length in ms (ST: 1000). */
  windowMs: number;
  /** Added to the window so jitter on the way cannot squeeze `limit + 1` into ST's window. */
  marginMs: number;
  /** Monotonic clock in ms; injectable for tests. */
  now?: () => number;
}

/**
 * ST's limit with a 250 ms safety margin: at most 60 sends in any 1.25 s (48/s sustained). The
 * margin covers the time between a grant and the bytes reaching ST (a busy event loop, the
 * network, the gateway's own queue) which can squeeze sends closer together on arrival.
 */
export const defaultRateLimit: RateLimiterOptions = { limit: 60, windowMs: 1000, marginMs: 250 };

/**
 * What the HTTP core needs from a rate limiter: a slot before each attempt, and a pause when
 * ServiceTitan answers 429. {@link SlidingWindowLimiter} counts in this process;
 * `SharedRateLimiter` counts across every process that shares its store.
 */
export interface StRateLimiter {
  /** Resolves when the caller may send one request; rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Holds every grant back for `ms` from now (extends, never shortens, a running pause). */
  pauseFor(ms: number): void;
}

/**
 * A sliding-window-log limiter: it remembers the last `limit` grant times and grants a new
 * request only when the oldest of them left the window. Unlike a token bucket it can never
 * let `limit + 1` requests through in one window, whatever the timing. Waiters are served in
 * arrival order. `pauseFor` stops every grant for a while (used when ST answers 429).
 *
 * @example
 * const limiter = new SlidingWindowLimiter(defaultRateLimit);
 * await limiter.acquire(signal);
 * await fetch(url);
 */
export class SlidingWindowLimiter implements StRateLimiter {
  private readonly grants: number[] = [];
  private head = 0;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private readonly queue = new WaiterLine();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly now: () => number;
  private readonly span: number;

  constructor(readonly options: RateLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError('limit must be >= 1');
    this.now = options.now ?? (() => performance.now());
    this.span = options.windowMs + options.marginMs;
  }

  /** Resolves when the caller may send one request; rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.queue.length === 0 && this.nextFreeAt(this.now()) <= this.now()) {
      this.grant(this.now());
      return Promise.resolve();
    }
    const granted = this.queue.wait(signal, () => this.schedule());
    this.schedule();
    return granted;
  }

  /** Holds every grant back for `ms` from now (extends, never shortens, a running pause). */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.reschedule();
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  private nextFreeAt(now: number): number {
    const full = this.grants.length >= this.options.limit;
    const oldest = full ? (this.grants[this.head] ?? now) : Number.NEGATIVE_INFINITY;
    return Math.max(this.pausedUntil, oldest + this.span);
  }

  private grant(at: number): void {
    if (this.grants.length < this.options.limit) {
      this.grants.push(at);
      return;
    }
    this.grants[this.head] = at;
    this.head = (this.head + 1) % this.options.limit;
  }

  private drain = (): void => {
    this.timer = undefined;
    for (;;) {
      if (this.queue.length === 0) return;
      const now = this.now();
      if (this.nextFreeAt(now) > now) break;
      this.grant(now);
      this.queue.serveFirst();
    }
    this.schedule();
  };

  private schedule(): void {
    if (this.timer !== undefined || this.queue.length === 0) return;
    const delay = Math.max(0, this.nextFreeAt(this.now()) - this.now());
    // +1 ms: timers may fire a hair early against performance.now().
    this.timer = setTimeout(this.drain, Math.ceil(delay) + 1);
  }

  private reschedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.schedule();
  }
}

const registryKey = Symbol.for('@pricebook/st-client/rate-limiters');
type Registry = Map<string, SlidingWindowLimiter>;

function registry(): Registry {
  const holder = globalThis as typeof globalThis & { [registryKey]?: Registry };
  holder[registryKey] ??= new Map();
  return holder[registryKey];
}

/**
 * The process-wide limiter of one tenant: every client instance for that tenant shares it, so
 * the whole process stays under ST's limit. The registry lives on `globalThis`, so even two
 * copies of this module share it. Keyed by tenant alone (ST keys by application and tenant),
 * which is stricter. The first caller's options win.
 *
 * @example
 * const limiter = tenantRateLimiter('3222348440');
 */
export function tenantRateLimiter(
  tenantId: string,
  options: RateLimiterOptions = defaultRateLimit,
): SlidingWindowLimiter {
  const map = registry();
  let limiter = map.get(tenantId);
  if (!limiter) {
    limiter = new SlidingWindowLimiter(options);
    map.set(tenantId, limiter);
  }
  return limiter;
}
