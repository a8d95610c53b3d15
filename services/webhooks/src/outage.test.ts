import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { consumers } from '@pricebook/contracts';
import { createOrm, migrate } from '@pricebook/db';
import { runConsumer } from '@pricebook/messaging';
import { startPrivatePostgres } from '@pricebook/testing';
import { test } from '@pricebook/testing/vitest';
import { describe, expect } from 'vitest';
import { startDispatcher } from './dispatcher';
import { recordDeliveries } from './intake';
import { box, publishEvents, Receiver, silentLog, subscribe, until, updatedEvent } from './test-support';

describe('while PostgreSQL is down', () => {
  test('events are held, not dropped, and delivered once it is back', async ({ nats }) => {
    const cluster = await startPrivatePostgres();
    const orm = await createOrm(cluster.url, { poolMax: 4, acquireTimeoutMillis: 2_000 });
    const nc = await connect({ servers: nats.url });
    const receiver = new Receiver();
    const consumer = runConsumer({
      js: jetstream(nc),
      log: silentLog,
      consumer: consumers.webhooks,
      handler: recordDeliveries(orm),
    });
    const dispatcher = startDispatcher({
      orm,
      log: silentLog,
      box,
      schedule: [0, 100, 200],
      disableAfterMs: 3_600_000,
      timeoutMs: 2_000,
      allowPrivate: true,
      concurrency: 4,
      pollMs: 20,
    });
    try {
      await migrate(cluster.url);
      await receiver.start();
      const sub = await subscribe(orm, receiver.url, ['record.updated']);

      await cluster.stop();
      const events = [updatedEvent(1), updatedEvent(2), updatedEvent(3)];
      await publishEvents(jetstream(nc), events);
      // Long enough for the consumer to meet the outage with the events in hand.
      await new Promise((r) => setTimeout(r, 3_000));
      expect(receiver.received).toHaveLength(0);
      await cluster.start();

      await until(
        () => new Set(receiver.received.map((r) => r.headers['webhook-id'])).size === 3,
        'deliveries',
        60_000,
      );
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(
        new Set(events.map((e) => e.id)),
      );
      // Recorded once the receiver has answered.
      const succeeded = async () => {
        const [row] = await orm.em
          .fork()
          .execute<{ n: number }[]>(
            `select count(*)::int as n from pricebook_webhook_deliveries where subscription_id = ? and status = 'succeeded'`,
            [sub.id],
          );
        return row?.n ?? 0;
      };
      await until(async () => (await succeeded()) === 3, 'three deliveries recorded');
    } finally {
      await Promise.all([consumer.stop(), dispatcher.stop()]);
      await receiver.stop();
      await nc.close();
      await orm.close();
      await cluster.close();
    }
  });
});
