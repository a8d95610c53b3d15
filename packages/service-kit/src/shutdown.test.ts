import { EventEmitter } from 'node:events';
import { createLogger } from '@pricebook/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { stopOnSignals } from './shutdown';

const log = createLogger({ service: 'test', level: 'silent' });

/** The service's parts, stopped when a step calls `end` (as stopping intake does). */
function stoppedOnCall(): { stopped: Promise<void>; end: () => void } {
  let end = () => {};
  const stopped = new Promise<void>((resolve) => {
    end = resolve;
  });
  return { stopped, end };
}

describe('stopOnSignals', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('runs the steps in order, once, on the first signal', async () => {
    const signals = new EventEmitter();
    const order: string[] = [];
    const { stopped, end } = stoppedOnCall();
    const done = stopOnSignals({
      log,
      signals,
      stopped,
      steps: [
        async () => {
          order.push('intake');
          end();
        },
        async () => order.push('drain'),
        async () => order.push('close'),
      ],
    });
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
    const signals = new EventEmitter();
    const { stopped, end } = stoppedOnCall();
    const done = stopOnSignals({
      log,
      signals,
      stopped,
      steps: [
        async () => end(),
        async () => {
          throw new Error('drain failed');
        },
      ],
    });
    signals.emit('SIGTERM');
    await done;
    expect(process.exitCode).toBe(1);
  });
});
