import type { SyncLogStatus } from '@pricebook/contracts';

const finished: ReadonlySet<SyncLogStatus> = new Set(['completed', 'failed', 'cancelled']);

export interface WaitOptions {
  timeoutMs: number;
  pollMs: number;
  /** Stops waiting early (the client went away, the server is shutting down). */
  signal?: AbortSignal | undefined;
}

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Polls `load` until the sync it returns has finished, the timeout passes or `signal` aborts.
 * Returns the last value loaded; the caller looks at its status.
 *
 * @example
 * const log = await waitForSync(() => findSyncLog(em, tenant, id), { timeoutMs: 300_000, pollMs: 500 });
 */
export async function waitForSync<T extends { status: SyncLogStatus }>(
  load: () => Promise<T | undefined>,
  options: WaitOptions,
): Promise<T | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  let last = await load();
  while (last && !finished.has(last.status) && !options.signal?.aborted) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    await pause(Math.min(options.pollMs, left), options.signal);
    last = await load();
  }
  return last;
}

/** Whether a sync log status is final. */
export const isFinished = (status: SyncLogStatus) => finished.has(status);
