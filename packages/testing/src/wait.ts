import { vi } from 'vitest';

/**
 * Waits until `probe` returns something other than `undefined` or `false` and returns it: a guard
 * against a test hanging, never an assertion about time (the deadline is generous). A probe that
 * throws is tried again, as `vi.waitFor` does; on timeout the last reason is thrown.
 *
 * @example
 * await until('the outbox to drain', async () => (await pending()) === 0);
 * const row = await until('the row', () => findRow(id));
 */
export async function until<T>(
  what: string,
  probe: () => T | Promise<T>,
  timeoutMs = 60_000,
): Promise<Exclude<T, undefined | false>> {
  return vi.waitFor(
    async () => {
      const value = await probe();
      if (value === undefined || value === false) throw new Error(`gave up waiting for ${what}`);
      return value as Exclude<T, undefined | false>;
    },
    { timeout: timeoutMs, interval: 25 },
  );
}
