import { describe, expect, it } from 'vitest';
import { defaultRetryScheduleMs, nextAttemptDelayMs, parseRetrySchedule } from './retry-schedule';

describe('the retry schedule', () => {
  it('keeps trying for at least a day', () => {
    const total = defaultRetryScheduleMs.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(24 * 3_600_000);
  });

  it('waits per attempt with at most 10 % jitter, and ends', () => {
    expect(nextAttemptDelayMs(defaultRetryScheduleMs, 1, () => 0)).toBe(4_500);
    expect(nextAttemptDelayMs(defaultRetryScheduleMs, 1, () => 1)).toBe(5_500);
    expect(nextAttemptDelayMs(defaultRetryScheduleMs, 0)).toBe(0);
    expect(nextAttemptDelayMs(defaultRetryScheduleMs, defaultRetryScheduleMs.length)).toBeUndefined();
  });

  it('parses the setting', () => {
    expect(parseRetrySchedule('0, 200,400')).toEqual([0, 200, 400]);
    expect(parseRetrySchedule('0,-1')).toBeUndefined();
    expect(parseRetrySchedule('')).toBeUndefined();
  });
});
