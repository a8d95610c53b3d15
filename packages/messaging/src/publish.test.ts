import { createMessage, messageIds, streams } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { describe, expect, it } from 'vitest';
import { provision } from './provision';
import { publish, publishAll } from './publish';
import { natsForFile, observed, syncLogId, tenant } from './test-support';

const nats = natsForFile((started) =>
  provision(started.jsm, { streams: Object.values(streams), consumers: [] }).then(() => undefined),
);

const count = async (stream: string) => (await nats.jsm.streams.info(stream)).state.messages;

describe('publish', () => {
  it('stores a message once however often it is published', async () => {
    const m = createMessage('sync.command', {
      id: messageIds.syncCommand(syncLogId),
      tenant,
      correlationId: syncLogId,
      data: { syncLogId, fullSync: true },
    });
    const first = await publish(nats.js, m);
    const second = await publish(nats.js, m);
    expect(first).toMatchObject({
      id: `sync:${syncLogId}`,
      subject: 'pricebook.cmd.1001.sync.v1',
      stream: 'PRICEBOOK_COMMANDS',
      duplicate: false,
    });
    expect(second).toMatchObject({ duplicate: true, seq: first.seq });
    expect(await count('PRICEBOOK_COMMANDS')).toBe(1);

    const stored = await nats.jsm.streams.getMessage('PRICEBOOK_COMMANDS', { seq: first.seq });
    expect(stored?.header.get('Nats-Msg-Id')).toBe(m.id);
    expect(stored?.json()).toEqual(m);
  });

  it('refuses an invalid message and sends nothing', async () => {
    const before = await count('PRICEBOOK_PIPELINE');
    const bad = { ...observed(1), data: { ...observed(1).data, hash: 'NOT HEX' } };
    const error = await publish(nats.js, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'validation_failed', retry: false });
    expect(await count('PRICEBOOK_PIPELINE')).toBe(before);
  });

  it('publishes many with bounded concurrency, reporting duplicates', async () => {
    const messages = Array.from({ length: 50 }, (_, i) => observed(100 + i));
    const results = await publishAll(nats.js, [...messages, ...messages.slice(0, 10)], { concurrency: 8 });
    expect(results).toHaveLength(60);
    expect(results.filter((r) => r.duplicate)).toHaveLength(10);
    expect(results.slice(0, 50).map((r) => r.id)).toEqual(messages.map((m) => m.id));
    expect(await count('PRICEBOOK_PIPELINE')).toBe(50);
  });

  it('sends a message already parsed by the catalog as it is, byte for byte', async () => {
    const m = observed(7);
    const [result] = await publishAll(nats.js, [m], { validated: true });
    const stored = await nats.jsm.streams.getMessage('PRICEBOOK_PIPELINE', { seq: result?.seq ?? 0 });
    expect(stored?.header.get('Nats-Msg-Id')).toBe(m.id);
    expect(stored?.json()).toEqual(m);
  });

  it('reports a publish JetStream does not take as retryable', async () => {
    await nats.jsm.streams.delete('PRICEBOOK_EVENTS');
    const started = createMessage('sync.started', {
      id: 'evt-1',
      tenant,
      correlationId: syncLogId,
      data: {
        syncLogId,
        syncType: 'full',
        status: 'running',
        stats: { fetched: 0, created: 0, updated: 0, deleted: 0, skipped: 0, conflicts: 0, errors: 0 },
      },
    });
    await expect(publish(nats.js, started, { timeoutMs: 1_000 })).rejects.toMatchObject({
      code: 'unavailable',
      retry: true,
    });
  });
});
