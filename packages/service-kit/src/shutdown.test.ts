import { EventEmitter } from 'node:events';
import { createLogger } from '@pricebook/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { stopOnSignals } from './shutdown';

const log = createLogger({ service: 'test', level: 'silent' });

type Step = () => Promise<unknown>;

/**
 * `stopOnSignals` on a test emitter, for parts that stop when a step calls `end` (as stopping
 * intake does): the emitter to signal and the promise of the shutdown.
 */
function stopping(steps: (end: () => void) => Step[]): { signals: EventEmitter; done: Promise<void> } {
  const signals = new EventEmitter();
  let end = () => {};
  const stopped = new Promise<void>((resolve) => {
    end = resolve;
  });
  return { signals, done: stopOnSignals({ log, signals, stopped, steps: steps(end) }) };
}

describe('stopOnSignals', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('runs the steps in order, once, on the first signal', async () => {
    const order: string[] = [];
    const { signals, done } = stopping((end) => [
      async () => {
        order.push('intake');
        end();
      },
      async () => order.push('drain'),
      async () => order.push('close'),
    ]);
    signals.emit('SIGTERM');
    signals.emit('SIGINT');
    await done;
    expect(order).toEqual(['intake', 'drain', 'close']);
    expect(process.exitCode).toBeUndefined();
  });

  it('treats a consumer that ends by itself as a failure, and still closes', async () => {
    const closed: string[] = [];
    await stopOnSignals({
      log,
      signals: new EventEmitter(),
      stopped: Promise.resolve(),
      steps: [async () => closed.push('close')],
    });
    expect(closed).toEqual(['close']);
    expect(process.exitCode).toBe(1);
  });

  it('reports a failing step with exit code 1', async () => {
    const { signals, done } = stopping((end) => [
      async () => end(),
      async () => {
        throw new Error('drain failed');
      },
    ]);
    signals.emit('SIGTERM');
    await done;
    expect(process.exitCode).toBe(1);
  });
});
