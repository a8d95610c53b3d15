import type { Conflict } from '@pricebook/contracts';

export interface ConflictWaitOptions {
  timeoutMs: number;
  pollMs: number;
  /** Stops waiting early (the client went away, the server is shutting down). */
  signal?: AbortSignal | undefined;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `load` until the conflict is no longer unresolved, the timeout passes or `signal` aborts;
 * returns the last value loaded.
 *
 * @example
 * const now = await waitForConflict(() => findConflict(em, '1001', id), { timeoutMs: 30_000, pollMs: 200 });
 */
export async function waitForConflict(
  load: () => Promise<Conflict | undefined>,
  options: ConflictWaitOptions,
): Promise<Conflict | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  let last = await load();
  while (last?.status === 'unresolved' && !options.signal?.aborted && Date.now() < deadline) {
    await pause(Math.min(options.pollMs, Math.max(0, deadline - Date.now())));
    last = await load();
  }
  return last;
}
