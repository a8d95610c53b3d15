import { describe, expect, it } from 'vitest';
import { isLastDelivery, loopBackoffMs, retryDelayMs } from './backoff';

const policy = { maxDeliveries: 5, backoffMs: [1_000, 5_000, 30_000] };

describe('retryDelayMs', () => {
  it('takes the step of the delivery that failed and repeats the last one', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 9].map((n) => retryDelayMs(policy, n, middle))).toEqual([
      1_000, 5_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('spreads delays by the jitter, never below zero', () => {
    expect(retryDelayMs(policy, 1, () => 0)).toBe(800);
    expect(retryDelayMs(policy, 1, () => 1)).toBe(1_200);
    expect(retryDelayMs({ maxDeliveries: 1, backoffMs: [0] }, 1, () => 0)).toBe(0);
  });

  it('knows the last delivery', () => {
    expect(isLastDelivery(policy, 4)).toBe(false);
    expect(isLastDelivery(policy, 5)).toBe(true);
  });
});

describe('loopBackoffMs', () => {
  it('doubles up to the cap', () => {
    const top = () => 1;
    expect([1, 2, 3, 10, 40].map((a) => loopBackoffMs(a, 10_000, top))).toEqual([
      500, 1_000, 2_000, 10_000, 10_000,
    ]);
    expect(loopBackoffMs(3, 10_000, () => 0)).toBe(1_000);
  });
});
