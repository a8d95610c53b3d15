import { jetstream } from '@nats-io/jetstream';
import type { Orm } from '@pricebook/db';
import { test } from '@pricebook/testing/vitest';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect } from 'vitest';
import type { DispatcherOptions } from './dispatcher';
import {
  conflictEvent,
  publishEvents,
  Receiver,
  startDeliveryWorld,
  subscribe,
  until,
  updatedEvent,
} from './test-support';

// A fast schedule: eight attempts over about two seconds instead of a day.
const schedule = [0, 100, 200, 300, 300, 400, 400, 400];

/** The service against the test's database and NATS, on the fast schedule unless told otherwise. */
const startWorld = (databaseUrl: string, natsUrl: string, overrides: Partial<DispatcherOptions> = {}) =>
  startDeliveryWorld(databaseUrl, natsUrl, { schedule, ...overrides });

async function deliveries(orm: Orm, subscriptionId: string) {
  return orm.em.fork().execute<
    {
      event_id: string;
      status: string;
      attempts: number;
      last_status_code: number | null;
      last_error: string | null;
    }[]
  >(
    `select event_id, status, attempts, last_status_code, last_error from pricebook_webhook_deliveries
        where subscription_id = ? order by created_at`,
    [subscriptionId],
  );
}

async function subscription(orm: Orm, id: string) {
  const [row] = await orm.em
    .fork()
    .execute<{ status: string; disabled_reason: string | null }[]>(
      `select status, disabled_reason from pricebook_webhook_subscriptions where id = ?`,
      [id],
    );
  return row;
}

describe('webhook deliveries', () => {
  test('a receiver that is down for a while gets every event once it is back, each signed', async ({
    database,
    nats,
  }) => {
    const { orm, nc } = await startWorld(database.url, nats.url);
    const receiver = new Receiver();
    await receiver.start();
    const url = receiver.url;
    await receiver.stop(); // connections refused
    const sub = await subscribe(orm, url, ['record.updated', 'conflict.opened']);
    const events = [updatedEvent(1), updatedEvent(2), conflictEvent(), updatedEvent(3)];
    await publishEvents(jetstream(nc), events);
    // Published again: JetStream drops it by its id, and a redelivery would find its delivery recorded.
    await publishEvents(
      jetstream(nc),
      [events[0] ?? updatedEvent(9)].map((e) => ({ ...e })),
    );
    await until(async () => {
      const rows = await deliveries(orm, sub.id);
      return rows.length === events.length && rows.every((r) => r.attempts >= 2);
    }, 'failed attempts while the receiver is down');
    expect((await deliveries(orm, sub.id)).every((r) => r.last_status_code === null && r.last_error)).toBe(
      true,
    );

    // Back, but failing with 500 for a few requests.
    let failures = 3;
    receiver.reply = () => (failures-- > 0 ? 500 : 200);
    await receiver.start();
    await until(
      async () => (await deliveries(orm, sub.id)).every((r) => r.status === 'succeeded'),
      'every delivery succeeded',
    );

    const verifier = new Webhook(sub.secret);
    const accepted = receiver.received.filter((r) => r.status === 200);
    const ids = accepted.map((r) => r.headers['webhook-id']);
    expect(new Set(ids)).toEqual(new Set(events.map((e) => e.id)));
    expect(ids).toHaveLength(events.length);
    for (const r of receiver.received) {
      const payload = verifier.verify(r.body, {
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      }) as { id: string; type: string };
      expect(payload.id).toBe(r.headers['webhook-id']);
    }
    const conflict = accepted.find((r) => r.headers['webhook-id'] === events[2]?.id);
    expect(JSON.parse(conflict?.body ?? '{}')).toMatchObject({ type: 'conflict.opened', tenant: '1000001' });

    // A tampered body or signature does not verify.
    const [first] = receiver.received;
    if (!first) throw new Error('nothing received');
    const headers = {
      'webhook-id': String(first.headers['webhook-id']),
      'webhook-timestamp': String(first.headers['webhook-timestamp']),
      'webhook-signature': String(first.headers['webhook-signature']),
    };
    expect(() => verifier.verify(first.body.replace('"tenant"', '"tenant "'), headers)).toThrow(
      WebhookVerificationError,
    );
    const forged = `v1,${Buffer.from('x'.repeat(32)).toString('base64')}`;
    expect(() => verifier.verify(first.body, { ...headers, 'webhook-signature': forged })).toThrow(
      WebhookVerificationError,
    );
    await receiver.stop();
  });

  test('only the subscribed event and entity types are delivered', async ({ database, nats }) => {
    const { orm, nc } = await startWorld(database.url, nats.url);
    const receiver = new Receiver();
    await receiver.start();
    const sub = await subscribe(orm, receiver.url, ['record.updated'], { entityTypes: ['services'] });
    const wanted = updatedEvent(1, 'services');
    await publishEvents(jetstream(nc), [updatedEvent(2, 'materials'), conflictEvent(), wanted]);
    await until(
      async () => (await deliveries(orm, sub.id)).some((r) => r.status === 'succeeded'),
      'a delivery',
    );
    expect((await deliveries(orm, sub.id)).map((r) => r.event_id)).toEqual([wanted.id]);
    await receiver.stop();
  });

  test('a receiver answering 410 Gone disables its subscription; other deliveries stay recorded', async ({
    database,
    nats,
  }) => {
    const { orm, nc } = await startWorld(database.url, nats.url);
    const receiver = new Receiver();
    receiver.reply = () => 410;
    await receiver.start();
    const sub = await subscribe(orm, receiver.url, ['record.updated']);
    await publishEvents(jetstream(nc), [updatedEvent(1)]);
    await until(
      async () => (await subscription(orm, sub.id))?.status === 'disabled',
      'the subscription disabled',
    );
    expect((await subscription(orm, sub.id))?.disabled_reason).toMatch(/410 Gone/);
    const [gone] = await deliveries(orm, sub.id);
    expect(gone).toMatchObject({ status: 'failed', last_status_code: 410, attempts: 1 });
    // Events after that are not recorded for a disabled subscription.
    await publishEvents(jetstream(nc), [updatedEvent(2)]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await deliveries(orm, sub.id)).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
    await receiver.stop();
  });

  test('failures are retried on the schedule, Retry-After is honoured, and running out disables', async ({
    database,
    nats,
  }) => {
    const { orm, nc } = await startWorld(database.url, nats.url);
    const receiver = new Receiver();
    const times: number[] = [];
    receiver.reply = () => {
      times.push(Date.now());
      return times.length === 1 ? { status: 503, headers: { 'retry-after': '1' } } : 500;
    };
    await receiver.start();
    const sub = await subscribe(orm, receiver.url, ['record.updated']);
    await publishEvents(jetstream(nc), [updatedEvent(1)]);
    await until(
      async () => (await deliveries(orm, sub.id))[0]?.status === 'failed',
      'attempts used up',
      20_000,
    );
    const [failed] = await deliveries(orm, sub.id);
    expect(failed).toMatchObject({
      attempts: schedule.length,
      last_status_code: 500,
      last_error: 'HTTP 500',
    });
    expect(receiver.received).toHaveLength(schedule.length);
    // The 503 asked for a second, longer than the schedule's 100 ms.
    const [t1, t2] = times;
    expect((t2 ?? 0) - (t1 ?? 0)).toBeGreaterThanOrEqual(950);
    const disabled = await subscription(orm, sub.id);
    expect(disabled?.status).toBe('disabled');
    expect(disabled?.disabled_reason).toMatch(/ran out of attempts/);
    await receiver.stop();
  });

  test('a URL whose host is private is refused at delivery time without the allow flag', async ({
    database,
    nats,
  }) => {
    const { orm, nc } = await startWorld(database.url, nats.url, { allowPrivate: false, schedule: [0, 100] });
    const receiver = new Receiver();
    await receiver.start();
    // Stored before (the API refuses it; a host may also change its answer after the check).
    const sub = await subscribe(orm, receiver.url.replace('http:', 'https:'), ['record.updated']);
    await publishEvents(jetstream(nc), [updatedEvent(1)]);
    await until(async () => (await deliveries(orm, sub.id))[0]?.status === 'failed', 'the delivery refused');
    const [refused] = await deliveries(orm, sub.id);
    expect(refused?.last_error).toMatch(/127\.0\.0\.1, a loopback address/);
    expect(receiver.received).toHaveLength(0);
    await receiver.stop();
  });
});
