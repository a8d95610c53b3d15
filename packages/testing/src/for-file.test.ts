import { describe, expect, it } from 'vitest';
import { forFile } from './for-file';

const events: string[] = [];

class Counter {
  count = 0;
  async close() {
    events.push('closed');
  }
  increment() {
    this.count += 1;
    return this.count;
  }
}

const counter = forFile(async () => {
  events.push('started');
  return new Counter();
});

describe('forFile', () => {
  it('starts the world once before the first test', () => {
    expect(events).toEqual(['started']);
  });

  it('forwards reads and method calls to the started world, keeping `this`', () => {
    expect(counter.increment()).toBe(1);
    expect(counter.increment()).toBe(2);
    expect(counter.count).toBe(2);
    expect(events).toEqual(['started']);
  });
});

describe('a world read before its start', () => {
  it('throws naming the reason', () => {
    const early: string[] = [];
    let read: unknown;
    try {
      // Not registered in a running file: its beforeAll never runs, so it is never started.
      read = forFile(async () => ({ close: async () => undefined, name: 'never' })).name;
    } catch (error) {
      early.push(String(error));
    }
    expect(read).toBeUndefined();
    expect(early.join()).toMatch(/starts in beforeAll/);
  });
});
