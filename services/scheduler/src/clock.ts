import { setTimeout as delay } from 'node:timers/promises';
/** Time as the scheduler sees it; tests substitute their own. */
export interface Clock {
  now(): Date;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/**
 * The wall clock and real timers.
 *
 * @example
 * await systemClock.sleep(1_000, controller.signal);
 */
export const systemClock: Clock = {
  now: () => new Date(),
  // An abort only ends the wait early (resolves): the loop looks at the signal next.
  sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
};
