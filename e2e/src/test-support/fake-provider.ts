import { type Stack, type StartStackOptions, startStack } from '@pricebook/testing';
import type pg from 'pg';
import { sqlClient } from './index';

/** A stack beside a fake model provider (chat or embeddings), with a client of its database. */
export interface FakeProviderWorld<F> {
  fake: F;
  stack: Stack;
  sql: pg.Client;
  close(): Promise<void>;
}

/**
 * Starts the fake provider, then the stack configured by `options(fake)` (e.g. its URL in the
 * environment), and connects to the stack's database; `close` stops all three, last started
 * first. A stack that fails to start stops the fake before the error goes on.
 *
 * @example
 * const w = forFile(() => startWithFakeProvider(startFakeChat, (fake) => ({ env: { ASSISTANT_URL: fake.url } })), 180_000);
 */
export async function startWithFakeProvider<F extends { close(): Promise<void> }>(
  startFake: () => Promise<F>,
  options: (fake: F) => StartStackOptions,
): Promise<FakeProviderWorld<F>> {
  const fake = await startFake();
  let stack: Stack;
  try {
    stack = await startStack(options(fake));
  } catch (err) {
    await fake.close();
    throw err;
  }
  const sql = sqlClient(stack);
  await sql.connect();
  return {
    fake,
    stack,
    sql,
    async close() {
      await sql.end().catch(() => undefined);
      await stack.stop();
      await fake.close();
    },
  };
}
