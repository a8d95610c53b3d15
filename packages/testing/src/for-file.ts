import { afterAll, beforeAll } from 'vitest';

/**
 * A world the tests of a file share: `start` runs in `beforeAll` (so the hook's timeout applies)
 * (`timeoutMs`, or the hook timeout) and the world is closed in `afterAll`. The handle forwards to the started world, so a file
 * declares it once at the top and reads it in any test or hook; read before the start, it throws.
 *
 * @example
 * const h = forFile(() => startHarness({ nats: true }));
 * it('answers', async () => expect((await call(h.app(), 'GET', '/healthz')).status).toBe(200));
 */
export function forFile<T extends { close(): Promise<void> }>(
  start: () => Promise<T>,
  timeoutMs?: number,
): T {
  let world: T | undefined;
  beforeAll(async () => {
    world = await start();
  }, timeoutMs);
  afterAll(async () => {
    await world?.close();
  });
  const handle: ProxyHandler<object> = {
    get(_target, key) {
      if (!world) throw new Error('this world starts in beforeAll: read it in a test or a hook');
      const value: unknown = Reflect.get(world, key);
      return typeof value === 'function' ? value.bind(world) : value;
    },
  };
  // The proxy stands for the world it forwards to; TypeScript cannot see through a Proxy.
  return new Proxy({}, handle) as T;
}
