import { test as base } from 'vitest';
import { type StartTestNatsOptions, startTestNats, type TestNats } from './nats';
import { createTestDatabase, type TestDatabase } from './postgres';
import { type StartedSandbox, type StartSandboxOptions, startSandbox } from './sandbox';
import { migrateDatabase, provisionNats, type Stack, type StartStackOptions, startStack } from './stack';

/** How a file's private NATS starts: a server config, and whether to provision it (default yes). */
export interface TestNatsOptions extends StartTestNatsOptions {
  provision?: boolean;
}

/**
 * The worlds a test file can ask for. Each is started the first time a test of the file names it
 * and stopped after the file's last test (`scope: 'file'`), so a file pays for one world however
 * many tests it has, and files running in parallel never share one.
 */
export interface TestWorld {
  /** Name prefix and admin connection string of the file's database (default: the test server). */
  databaseOptions: { prefix?: string; server?: string };
  /** Options of the file's sandbox; set them with `test.scoped({ sandboxOptions: … })`. */
  sandboxOptions: StartSandboxOptions;
  /** Options of the file's NATS; set them with `test.scoped({ natsOptions: … })`. */
  natsOptions: TestNatsOptions;
  /** Options of the file's stack; set them with `test.scoped({ stackOptions: … })`. */
  stackOptions: StartStackOptions;
  /** A fresh database of the file's own with every migration applied; dropped after the file. */
  database: TestDatabase;
  /** A private JetStream server with the engine's streams, durables and KV bucket. */
  nats: TestNats;
  /** The ServiceTitan sandbox as its own process. */
  sandbox: StartedSandbox;
  /** The whole engine (its own database, NATS and sandbox, every pipeline service). */
  stack: Stack;
}

/**
 * `test` with the engine's test worlds as fixtures: a test names what it needs and gets it
 * started once for its file. Options are plain fixtures, set once per file with `test.scoped`
 * (the first value a file's world starts with holds for the whole file).
 *
 * @example
 * import { test } from '@pricebook/testing/vitest';
 * test.scoped({ stackOptions: { sandbox: { items: 40, seed: 5 } } });
 * test('syncs', async ({ stack }) => { … });
 */
export const test = base.extend<TestWorld>({
  sandboxOptions: [{}, { scope: 'file' }],
  natsOptions: [{}, { scope: 'file' }],
  stackOptions: [{}, { scope: 'file' }],
  databaseOptions: [{}, { scope: 'file' }],
  database: [
    async ({ databaseOptions }, use) => {
      const database = await createTestDatabase(databaseOptions.prefix, databaseOptions.server);
      try {
        await migrateDatabase(database.url);
        await use(database);
      } finally {
        await database.drop();
      }
    },
    { scope: 'file' },
  ],
  nats: [
    async ({ natsOptions }, use) => {
      const { provision = true, ...options } = natsOptions;
      const nats = await startTestNats(options);
      try {
        if (provision) await provisionNats(nats);
        await use(nats);
      } finally {
        await nats.close();
      }
    },
    { scope: 'file' },
  ],
  sandbox: [
    async ({ sandboxOptions }, use) => {
      const sandbox = await startSandbox(sandboxOptions);
      try {
        await use(sandbox);
      } finally {
        await sandbox.stop();
      }
    },
    { scope: 'file' },
  ],
  stack: [
    async ({ stackOptions }, use) => {
      const stack = await startStack(stackOptions);
      try {
        await use(stack);
      } finally {
        await stack.stop();
      }
    },
    { scope: 'file' },
  ],
});
