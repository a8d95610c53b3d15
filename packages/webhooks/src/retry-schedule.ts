const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * How long to wait before each attempt, counted from the previous one (the first from the
 * event): at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — eight attempts over about 27 hours.
 */
export const defaultRetryScheduleMs: readonly number[] = [
  0,
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
];

/** Each wait is moved by up to this share either way, so receivers that failed together are not retried together. */
export const retryJitter = 0.1;

/**
 * Parses `WEBHOOKS_RETRY_SCHEDULE_MS`: comma-separated waits in milliseconds, the first usually 0.
 * Returns undefined when a value is not a whole number ≥ 0.
 *
 * @example
 * parseRetrySchedule('0,200,400'); // [0, 200, 400]
 */
export function parseRetrySchedule(value: string): number[] | undefined {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => !/^\d{1,10}$/.test(p))) return undefined;
  return parts.map(Number);
}

/**
 * The wait before the next attempt after `attemptsMade` attempts, with jitter; undefined once
 * the schedule is used up (the delivery has failed for good).
 *
 * @example
 * nextAttemptDelayMs(defaultRetryScheduleMs, 1); // about 5 000
 * nextAttemptDelayMs(defaultRetryScheduleMs, 8); // undefined
 */
export function nextAttemptDelayMs(
  schedule: readonly number[],
  attemptsMade: number,
  random: () => number = Math.random,
): number | undefined {
  const wait = schedule[attemptsMade];
  if (wait === undefined) return undefined;
  return Math.round(wait * (1 + retryJitter * (2 * random() - 1)));
}
