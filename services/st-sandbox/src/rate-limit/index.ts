/** What the sandbox saw of one throttling key (app key + tenant). */
export interface KeyStats {
  accepted: number;
  rejected: number;
  /** Most requests let through in any sliding window. */
  maxAcceptedPerSecond: number;
  /** Most requests received, accepted or not, in any sliding window. */
  maxAttemptedPerSecond: number;
}

interface KeyState extends KeyStats {
  acceptedAt: number[];
  attemptedAt: number[];
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

function dropOld(times: number[], cutoff: number): void {
  let n = 0;
  while (n < times.length && (times[n] ?? 0) <= cutoff) n++;
  if (n) times.splice(0, n);
}

/**
 * Sliding-window limiter: at most `limit()` accepted requests per key in any window of
 * `windowMs`. It runs on real (monotonic) time, never the sandbox clock, because it is about
 * how fast requests really arrive. It also keeps the per-key peaks that tests assert on.
 */
export class SlidingWindowLimiter {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly limit: () => number,
    private readonly windowMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(key: string): TakeResult {
    const now = this.now();
    const cutoff = now - this.windowMs;
    let s = this.keys.get(key);
    if (!s) {
      s = {
        accepted: 0,
        rejected: 0,
        maxAcceptedPerSecond: 0,
        maxAttemptedPerSecond: 0,
        acceptedAt: [],
        attemptedAt: [],
      };
      this.keys.set(key, s);
    }
    dropOld(s.attemptedAt, cutoff);
    dropOld(s.acceptedAt, cutoff);
    s.attemptedAt.push(now);
    s.maxAttemptedPerSecond = Math.max(s.maxAttemptedPerSecond, s.attemptedAt.length);
    const limit = this.limit();
    if (limit > 0 && s.acceptedAt.length >= limit) {
      s.rejected++;
      const oldest = s.acceptedAt[0] ?? now;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000)) };
    }
    s.acceptedAt.push(now);
    s.accepted++;
    s.maxAcceptedPerSecond = Math.max(s.maxAcceptedPerSecond, s.acceptedAt.length);
    return { ok: true };
  }

  stats(): [string, KeyStats][] {
    return [...this.keys].map(([key, s]) => [
      key,
      {
        accepted: s.accepted,
        rejected: s.rejected,
        maxAcceptedPerSecond: s.maxAcceptedPerSecond,
        maxAttemptedPerSecond: s.maxAttemptedPerSecond,
      },
    ]);
  }

  reset(): void {
    this.keys.clear();
  }
}
