import type { RetryPolicy } from '@pricebook/contracts';

/**
 * How long to wait before redelivering a message whose delivery number `deliveryCount`
 * failed: the policy's step for that delivery (the last step repeats), spread by ±`jitter`
 * so a batch that failed together does not come back together.
 *
 * @example
 * retryDelayMs({ maxDeliveries: 5, backoffMs: [1000, 5000] }, 1); // ~1000
 * retryDelayMs({ maxDeliveries: 5, backoffMs: [1000, 5000] }, 4, () => 0.5); // 5000
 */
export function retryDelayMs(
  policy: RetryPolicy,
  deliveryCount: number,
  random: () => number = Math.random,
  jitter = 0.2,
): number {
  const steps = policy.backoffMs;
  const index = Math.min(Math.max(deliveryCount, 1), steps.length) - 1;
  const base = steps[index] ?? steps.at(-1) ?? 1_000;
  const spread = base * jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}

/**
 * Whether a delivery that just failed was the last one the policy allows.
 *
 * @example
 * isLastDelivery({ maxDeliveries: 5, backoffMs: [1000] }, 5); // true: terminate and record it
 */
export function isLastDelivery(policy: RetryPolicy, deliveryCount: number): boolean {
  return deliveryCount >= policy.maxDeliveries;
}

/**
 * Exponential backoff for reconnect-style loops (fetch failures, missing consumer):
 * 250 ms doubling up to `maxMs`, with full jitter.
 *
 * @example
 * await sleep(loopBackoffMs(attempt));
 */
export function loopBackoffMs(attempt: number, maxMs = 10_000, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, 250 * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
