import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { subjects } from '@pricebook/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type SchedulerHarness, startSchedulerHarness, yearly } from './test-support';

let h: SchedulerHarness;
beforeAll(async () => {
  h = await startSchedulerHarness();
});
afterAll(() => h?.close());

const unpublished = async (eventType: string) =>
  (
    await h.sql<{ id: string }>(
      'select id from pricebook_outbox where event_type = ? and published_at is null',
      [eventType],
    )
  ).map((r) => r.id);

describe("the scheduler's outbox relay", () => {
  it('publishes public events with no applier running, and leaves commands it may not send', async () => {
    await h.replica({ incrementalCron: yearly });
    // A local edit in plain SQL: its audit row and event, written by the triggers.
    await h.sql(`insert into pricebook_materials (tenant_id, data) values (?, '{"code": "NO-APPLIER"}')`, [
      h.tenant,
    ]);
    const syncLogId = randomUUID();
    await h.sql(
      `insert into pricebook_outbox (tenant_id, subject, event_type, payload, correlation_id)
       values (?, ?, 'push.command', ?::jsonb, ?)`,
      [
        h.tenant,
        subjects.command(h.tenant, 'push'),
        JSON.stringify({ syncLogId, entityTypes: ['materials'], dryRun: false }),
        syncLogId,
      ],
    );
    const [eventId] = await h.sql<{ id: string }>(
      `select id from pricebook_outbox where event_type = 'record.created'`,
    );

    await vi.waitFor(async () => expect(await unpublished('record.created')).toEqual([]), {
      timeout: 30_000,
      interval: 50,
    });
    const nc = await connect({ servers: h.nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      const stored = await jsm.streams.getMessage('PRICEBOOK_EVENTS', {
        last_by_subj: subjects.recordEvent(h.tenant, 'materials', 'created'),
      });
      expect(stored?.header?.get('Nats-Msg-Id')).toBe(eventId?.id);
      expect(stored?.json<{ data: { after: unknown } }>().data.after).toEqual({ code: 'NO-APPLIER' });
    } finally {
      await nc.close();
    }
    // Only the applier may send a push command; the row waits for its relay.
    expect(await unpublished('push.command')).toHaveLength(1);
  });
});
