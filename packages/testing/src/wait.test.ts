import { describe, expect, it } from 'vitest';
import { until } from './wait';

describe('until', () => {
  it('returns the first value that is neither undefined nor false', async () => {
    let calls = 0;
    const value = await until('the third call', () => {
      calls += 1;
      if (calls === 1) return false;
      return calls === 3 ? { calls } : undefined;
    });
    expect(value).toEqual({ calls: 3 });
  });

  it('tries a throwing probe again', async () => {
    let calls = 0;
    const value = await until('a probe that throws once', async () => {
      calls += 1;
      if (calls === 1) throw new Error('not yet');
      return true;
    });
    expect(value).toBe(true);
    expect(calls).toBe(2);
  });

  it('names what it waited for when it gives up', async () => {
    await expect(until('something that never comes', () => false, 200)).rejects.toThrow(
      'gave up waiting for something that never comes',
    );
  });
});
