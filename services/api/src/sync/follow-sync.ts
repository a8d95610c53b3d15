import { setTimeout as delay } from 'node:timers/promises';
import type { SyncLogStatus } from '@pricebook/contracts';
import { isFinished } from './wait-for-sync';

export interface FollowOptions {
  pollMs: number;
  /** Stops following (the client went away). */
  signal: AbortSignal;
}

// An abort only ends the wait early: the loop looks at the signal next.
const pause = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => undefined);

/**
 * Yields `first`, then every snapshot `load` returns that differs from the one before, until a
 * snapshot has a final status (yielded last), the row disappears or `signal` aborts. Polling
 * rather than subscribing keeps the API free of NATS consumers: the applier already writes the
 * counters to the sync log as it goes.
 *
 * @example
 * for await (const p of followSync(load, first, { pollMs: 500, signal })) send(p);
 */
export async function* followSync<T extends { status: SyncLogStatus }>(
  load: () => Promise<T | undefined>,
  first: T,
  options: FollowOptions,
): AsyncGenerator<T> {
  let last = first;
  let lastKey = JSON.stringify(first);
  yield first;
  while (!isFinished(last.status) && !options.signal.aborted) {
    await pause(options.pollMs, options.signal);
    if (options.signal.aborted) return;
    const next = await load();
    if (!next) return;
    const key = JSON.stringify(next);
    if (key === lastKey) continue;
    last = next;
    lastKey = key;
    yield next;
  }
}
