import { randomUUID } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import { parseMessage } from '@pricebook/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { relayOnce, startRelay } from './relay';
import {
  count,
  createSync,
  type Harness,
  resetDatabase,
  seedMaterial,
  startHarness,
  streamMessages,
  tenant,
} from './test-support';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());
beforeEach(async () => {
  await resetDatabase(h);
  await h.jsm.streams.purge('PRICEBOOK_EVENTS');
  await h.jsm.streams.purge('PRICEBOOK_COMMANDS');
});

/** The JetStream client, counting how often each message id is published. */
function countingClient(counts: Map<string, number>): JetStreamClient {
  return new Proxy(h.js, {
    get(target, property, receiver) {
      if (property !== 'publish') return Reflect.get(target, property, receiver);
      const publish: JetStreamClient['publish'] = (subject, payload, options) => {
        const id = options?.msgID ?? '';
        counts.set(id, (counts.get(id) ?? 0) + 1);
        return target.publish(subject, payload, options);
      };
      return publish;
    },
  });
}

describe('the outbox relay', () => {
  it('publishes every row exactly once, with its id as message id, even with two relays at once', async () => {
    await seedMaterial(h, 1);
    // 300 local edits, written by the triggers as they would be by psql.
    for (let i = 0; i < 3; i++) {
      await h.sql(
        `insert into pricebook_materials (tenant_id, data)
         select ?, jsonb_build_object('code', 'L-' || g, 'price', g) from generate_series(1, 100) g`,
        [tenant],
      );
    }
    await h.sql(`update pricebook_materials set data = jsonb_set(data, '{price}', '3') where st_id = 1`);
    const syncId = await createSync(h, randomUUID());
    await h.sql(
      `insert into pricebook_outbox (tenant_id, subject, event_type, payload, correlation_id)
       values (?, ?, 'sync.command', ?::jsonb, ?)`,
      [
        tenant,
        `pricebook.cmd.${tenant}.sync.v1`,
        JSON.stringify({ syncLogId: syncId, fullSync: true }),
        syncId,
      ],
    );
    const rows = await h.sql<{ id: string; event_type: string }>(
      'select id, event_type from pricebook_outbox',
    );
    expect(rows).toHaveLength(302);

    const counts = new Map<string, number>();
    const js = countingClient(counts);
    const relays = [1, 2].map(() => startRelay({ orm: h.orm, js, log: h.log, batchSize: 50, idleMs: 20 }));
    await vi.waitFor(
      async () =>
        expect(await count(h, 'select count(*) as n from pricebook_outbox where published_at is null')).toBe(
          0,
        ),
      { timeout: 45_000, interval: 25 },
    );
    await Promise.all(relays.map((r) => r.stop()));

    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(302);
    const events = await streamMessages(h, 'PRICEBOOK_EVENTS');
    expect(events).toHaveLength(301);
    const eventRows = rows.filter((r) => r.event_type !== 'sync.command');
    expect(new Set(events.map((e) => e.msgId))).toEqual(new Set(eventRows.map((r) => r.id)));
    for (const e of events) {
      const parsed = parseMessage(e.subject, e.json);
      expect(parsed.success).toBe(true);
      if (parsed.success) expect(parsed.message.id).toBe(e.msgId);
    }
    const local = events
      .map((e) => parseMessage(e.subject, e.json))
      .find((p) => p.success && p.message.type === 'record.created');
    // A local edit has no sync: its event is its own correlation.
    expect(local?.success).toBe(true);
    expect(local?.success && local.message.correlationId).toBe(local?.success && local.message.id);

    const commands = await streamMessages(h, 'PRICEBOOK_COMMANDS');
    expect(commands).toHaveLength(1);
    expect(commands[0]?.msgId).toBe(`sync:${syncId}`);
    const command = parseMessage(commands[0]?.subject ?? '', commands[0]?.json);
    expect(command.success && command.message).toMatchObject({
      type: 'sync.command',
      correlationId: syncId,
      data: { syncLogId: syncId, fullSync: true, direction: 'from_st' },
    });
  });

  it('dead-letters a row that is not a valid message and relays the rows behind it', async () => {
    await h.sql(
      `insert into pricebook_outbox (tenant_id, subject, event_type, payload) values
         (?, 'pricebook.events.1001.materials.updated.v1', 'record.updated', '{"entity": "materials"}'::jsonb),
         (?, 'pricebook.events.1001.sync.started.v1', 'sync.exploded', '{}'::jsonb)`,
      [tenant, tenant],
    );
    const huge = {
      entity: 'materials',
      recordId: '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d',
      stId: 1,
      operation: 'updated',
      origin: 'local',
      before: {},
      after: { notes: 'x'.repeat(1_100_000) },
      changedFields: ['notes'],
    };
    await h.sql(
      `insert into pricebook_outbox (tenant_id, subject, event_type, payload)
       values (?, 'pricebook.events.1001.materials.updated.v1', 'record.updated', ?::jsonb)`,
      [tenant, JSON.stringify(huge)],
    );
    await h.sql(`insert into pricebook_materials (tenant_id, data) values (?, '{"code": "OK"}')`, [tenant]);

    expect(await relayOnce({ orm: h.orm, js: h.js, log: h.log }, 10)).toBe(4);
    expect(await count(h, 'select count(*) as n from pricebook_outbox where published_at is null')).toBe(0);
    const letters = await h.sql<{ consumer: string; reason: string; subject: string }>(
      'select consumer, reason, subject from pricebook_dead_letters order by stream_seq',
    );
    expect(letters.map((l) => l.consumer)).toEqual(['outbox-relay', 'outbox-relay', 'outbox-relay']);
    expect(letters[0]?.reason).toMatch(/^invalid record.updated: /);
    expect(letters[1]?.reason).toBe('unknown event type sync.exploded');
    expect(letters[2]?.reason).toMatch(/^message of \d+ bytes exceeds the stream's 1048576$/);
    const events = await streamMessages(h, 'PRICEBOOK_EVENTS');
    expect(events.map((e) => (e.json as { type: string }).type)).toEqual(['record.created']);
  });
});
