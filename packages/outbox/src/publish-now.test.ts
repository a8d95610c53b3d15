import { randomUUID } from 'node:crypto';
import { createMessage, type Message, subjects } from '@pricebook/contracts';
import { createLogger } from '@pricebook/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishNow } from './publish-now';
import { startTestDb, type TestDb, tenant } from './test-support';

let t: TestDb;
beforeAll(async () => {
  t = await startTestDb();
});
afterAll(() => t?.close());

const log = createLogger({ service: 'publish-now-test', level: 'silent' });

/** A sync command and its committed outbox row, as `createSync` leaves them. */
async function committedCommand(): Promise<{ message: Message<'sync.command'>; outboxId: string }> {
  const syncLogId = randomUUID();
  const outboxId = randomUUID();
  const message = createMessage('sync.command', {
    id: `sync:${syncLogId}`,
    tenant,
    correlationId: syncLogId,
    causationId: null,
    data: { syncLogId, fullSync: true },
  });
  await t.sql(
    `insert into pricebook_outbox (id, tenant_id, subject, event_type, payload, correlation_id)
     values (?, ?, ?, 'sync.command', ?::jsonb, ?)`,
    [outboxId, tenant, subjects.command(tenant, 'sync'), JSON.stringify(message.data), syncLogId],
  );
  return { message, outboxId };
}

const publishedAt = async (id: string) =>
  (await t.sql<{ published_at: unknown }>('select published_at from pricebook_outbox where id = ?', [id]))[0]
    ?.published_at;

describe('publishNow', () => {
  it('publishes the message and marks its row, so no relay sends it again', async () => {
    const { message, outboxId } = await committedCommand();
    const sent: Message[] = [];
    const ok = await publishNow(
      { orm: t.orm, publish: async (m: Message<'sync.command'>) => void sent.push(m) },
      message,
      outboxId,
      log,
    );
    expect(ok).toBe(true);
    expect(sent).toEqual([message]);
    expect(await publishedAt(outboxId)).not.toBeNull();
  });

  it('leaves the row to a relay when NATS refuses, and never throws', async () => {
    const { message, outboxId } = await committedCommand();
    const publish = async () => {
      throw new Error('nats down');
    };
    await expect(publishNow({ orm: t.orm, publish }, message, outboxId, log)).resolves.toBe(false);
    expect(await publishedAt(outboxId)).toBeNull();
  });
});
