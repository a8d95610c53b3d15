import { describe, expect, it, vi } from 'vitest';
import { WaiterLine } from './waiters';

describe('WaiterLine', () => {
  it('serves waiters first come, first served', async () => {
    const line = new WaiterLine();
    const order: number[] = [];
    const first = line.wait(undefined).then(() => order.push(1));
    const second = line.wait(undefined).then(() => order.push(2));
    line.serveFirst();
    line.serveFirst();
    line.serveFirst();
    await Promise.all([first, second]);
    expect(order).toEqual([1, 2]);
    expect(line.length).toBe(0);
  });

  it('lets an aborted waiter leave the line, rejected with the reason, then tells the limiter', async () => {
    const line = new WaiterLine();
    const abort = new AbortController();
    const onLeave = vi.fn();
    const waiting = line.wait(abort.signal, onLeave);
    const next = line.wait(undefined);
    abort.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(onLeave).toHaveBeenCalledOnce();
    expect(line.length).toBe(1);
    line.serveFirst();
    await expect(next).resolves.toBeUndefined();
  });

  it('takes every waiter out, and a taken waiter no longer listens to its signal', async () => {
    const line = new WaiterLine();
    const abort = new AbortController();
    const onLeave = vi.fn();
    void line.wait(abort.signal, onLeave);
    const [taken, ...rest] = line.takeAll();
    expect(rest).toEqual([]);
    expect(line.length).toBe(0);
    abort.abort();
    expect(onLeave).not.toHaveBeenCalled();
    expect(taken?.signal).toBe(abort.signal);
    taken?.resolve();
  });
});
