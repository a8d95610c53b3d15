import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  defaultRetryPolicy,
  parseRetryAfter,
  retryDelay,
  retryHintFromBody,
  sleep,
} from './retry';

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

  it.each([
    ['0', 0],
    ['3', 3000],
    [' 12 ', 12_000],
    ['1.5', 1500],
    ['Wed, 21 Oct 2015 07:28:05 GMT', 5000],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
  ])('%j → %d ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([null, undefined, '', '-1', 'soon', '12abc', '2015-10-21'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('retryHintFromBody', () => {
  it('reads an RFC 7807 title', () => {
    const body = {
      type: 'x',
      title: 'Too many requests. Try again in 7 seconds.',
      status: 429,
      traceId: 't',
    };
    expect(retryHintFromBody(body)).toBe(7000);
  });

  it('reads the gateway message', () => {
    expect(
      retryHintFromBody({ statusCode: 429, message: 'Rate limit is exceeded. Try again in 1 second.' }),
    ).toBe(1000);
  });

  it('reads raw text', () => {
    expect(retryHintFromBody('Rate limit is exceeded. Try again in 2 seconds.')).toBe(2000);
  });

  it('returns undefined without a hint', () => {
    expect(retryHintFromBody({ title: 'Bad request' })).toBeUndefined();
    expect(retryHintFromBody(undefined)).toBeUndefined();
    expect(retryHintFromBody([1, 2])).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000 };

  it('doubles each step within [step/2, step] and caps it', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, () => 1)).toBe(400);
    expect(backoffDelay(10, policy, () => 1)).toBe(1000);
    expect(backoffDelay(10, policy, () => 0)).toBe(500);
  });

  it('stays in bounds for any random value', () => {
    for (let retry = 1; retry < 20; retry++) {
      for (const r of [0, 0.25, 0.5, 0.999]) {
        const d = backoffDelay(retry, policy, () => r);
        const step = Math.min(1000, 100 * 2 ** (retry - 1));
        expect(d).toBeGreaterThanOrEqual(step / 2);
        expect(d).toBeLessThanOrEqual(step);
      }
    }
  });
});

describe('retryDelay', () => {
  it('honours a server hint, adding at most 10 % jitter', () => {
    expect(retryDelay(1, 2000, defaultRetryPolicy, () => 0)).toBe(2000);
    expect(retryDelay(1, 2000, defaultRetryPolicy, () => 1)).toBe(2200);
  });

  it('falls back to backoff without a hint', () => {
    expect(retryDelay(2, undefined, defaultRetryPolicy, () => 1)).toBe(500);
  });
});

describe('sleep', () => {
  it('rejects with the abort reason', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});
