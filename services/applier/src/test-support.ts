import type { JsMsg } from '@nats-io/jetstream';
import type { AcceptedType, ConsumerDefinition, Message } from '@pricebook/contracts';
import { type BatchHandler, ensureConsumer } from '@pricebook/messaging';
import { afterAll, beforeAll, beforeEach, vi } from 'vitest';
import {
  count,
  createSync,
  drainConsumer,
  type Harness,
  type MaterialRow,
  materialRows,
  redeliver,
  resetDatabase,
  type SyncInput,
  seedRows,
  startHarness,
  syncLog,
  testConsumer,
} from './test-world';

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
 * A test file's harness (valid once the file's `beforeAll` ran), with the world's helpers bound
 * to it, so tests say `h.seedRows([…])` rather than threading the harness through every call.
 */
export interface World extends Harness {
  count(query: string, params?: unknown[]): Promise<number>;
  createSync(input?: SyncInput): Promise<string>;
  seedRows(records: Record<string, unknown>[]): Promise<void>;
  materialRows(): Promise<Map<number, MaterialRow>>;
  syncLog(id: string): Promise<Record<string, unknown>>;
  redeliver(message: Message, subject: string): Promise<void>;
  drainConsumer(name: string, max?: number): Promise<JsMsg[]>;
  /** Waits until each durable has nothing left to deliver and nothing unacknowledged. */
  settled(...durables: ConsumerDefinition[]): Promise<void>;
}

/** Whether a durable of any stream has nothing left to deliver and nothing unacknowledged. */
async function durableIdle(h: Harness, durable: ConsumerDefinition): Promise<boolean> {
  const info = await h.jsm.consumers.info(durable.stream, durable.name);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

/** The world of a harness that `current` returns once started (and throws for before). */
function worldOf(current: () => Harness): World {
  return {
    get db() {
      return current().db;
    },
    get orm() {
      return current().orm;
    },
    get server() {
      return current().server;
    },
    get nc() {
      return current().nc;
    },
    get js() {
      return current().js;
    },
    get jsm() {
      return current().jsm;
    },
    get log() {
      return current().log;
    },
    sql: <T>(query: string, params?: unknown[]) => current().sql<T>(query, params),
    close: () => current().close(),
    count: (query, params) => count(current(), query, params),
    createSync: (input) => createSync(current(), input),
    seedRows: (records) => seedRows(current(), records),
    materialRows: () => materialRows(current()),
    syncLog: (id) => syncLog(current(), id),
    redeliver: (message, subject) => redeliver(current(), message, subject),
    drainConsumer: (name, max) => drainConsumer(current(), name, max),
    settled: (...durables) =>
      until(`${durables.map((d) => d.name).join(', ')} to settle`, async () => {
        for (const durable of durables) if (!(await durableIdle(current(), durable))) return false;
        return true;
      }),
  };
}

/**
 * Registers a test file's hooks around a harness of its own and returns its world: `start` gets
 * the harness once it runs (start what the file needs on it), every test begins with empty
 * tables, and what `start` returned is stopped before the harness closes.
 *
 * @example
 * const h = useHarness((h) => [testConsumer(h, consumers.inbound, createInboundHandler({ orm: h.orm, tenantId: tenant }))]);
 */
export function useHarness(
  start: (h: Harness) => Stoppable[] | Promise<Stoppable[]>,
  options: {
    /** Also take what the applier sent back to the comparator before each test. */
    drainComparator?: boolean;
  } = {},
): World {
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
  return worldOf(() => {
    if (!harness) throw new Error("the harness starts in the test file's beforeAll");
    return harness;
  });
}

/**
 * The world of a test file that runs one durable of the applier: the durable is provisioned
 * (the harness provisions only the pipeline's) and its handler runs on the harness.
 *
 * @example
 * const h = useConsumerWorld(consumers.inbound, (h) => createInboundHandler({ orm: h.orm, tenantId: tenant }));
 */
export function useConsumerWorld<C extends ConsumerDefinition>(
  durable: C,
  handler: (h: Harness) => BatchHandler<AcceptedType<C>>,
): World {
  return useHarness(async (h) => {
    await ensureConsumer(h.jsm, durable);
    return [testConsumer(h, durable, handler(h))];
  });
}
