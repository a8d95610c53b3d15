import { describe, expect, it } from 'vitest';
import { createThrottle } from './throttle';

describe('createThrottle', () => {
  it('lets a key through at most once per interval, each key on its own', () => {
    const throttle = createThrottle(2000);
    expect(throttle.due('a', 0)).toBe(true);
    expect(throttle.due('a', 1999)).toBe(false);
    expect(throttle.due('b', 1999)).toBe(true);
    expect(throttle.due('a', 2000)).toBe(true);
    throttle.touch('b', 3000);
    expect(throttle.due('b', 4000)).toBe(false);
  });

  it('forgets the oldest keys beyond its bound', () => {
    const throttle = createThrottle(1000, 2);
    throttle.due('a', 0);
    throttle.due('b', 0);
    throttle.due('c', 0);
    expect(throttle.due('a', 1)).toBe(true);
    expect(throttle.due('c', 1)).toBe(false);
  });
});
