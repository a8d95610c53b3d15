import { afterAll, beforeAll, beforeEach, vi } from 'vitest';
import { drainConsumer, type Harness, resetDatabase, startHarness } from './test-world';

// The applier's one test-support location: the world (`test-world.ts`) and the vitest hooks and
// waits on top of it. Test files import from here; job folders add their own `test-support.ts`.
export * from './test-world';

/** Waits until `probe` holds; fails with `what` after `timeoutMs` (a guard, not an assertion). */
export async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 45_000) {
  await vi.waitFor(
    async () => {
      if (!(await probe())) throw new Error(`gave up waiting for ${what}`);
    },
    { timeout: timeoutMs, interval: 25 },
  );
}

/** Anything a test file starts and stops again: a consumer runner, a sandbox… */
export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Registers a test file's hooks around a harness of its own: `start` gets the harness once it
 * runs (keep it, and start what the file needs on it), every test begins with empty tables, and
 * what `start` returned is stopped before the harness closes.
 *
 * @example
 * let h: Harness;
 * useHarness((started) => {
 *   h = started;
 *   return [testConsumer(h, consumers.inbound, createInboundHandler({ orm: h.orm, tenantId: tenant }))];
 * });
 */
export function useHarness(
  start: (h: Harness) => Stoppable[] | Promise<Stoppable[]>,
  options: {
    /** Also take what the applier sent back to the comparator before each test. */
    drainComparator?: boolean;
  } = {},
): void {
  let harness: Harness | undefined;
  let started: Stoppable[] = [];
  beforeAll(async () => {
    harness = await startHarness();
    started = await start(harness);
  });
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
    await harness?.close();
  });
  beforeEach(async () => {
    if (!harness) return;
    await resetDatabase(harness);
    if (options.drainComparator) await drainConsumer(harness, 'comparator');
  });
}
