import { webhookResponseExcerptBytes } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import { test } from '@pricebook/testing/vitest';
import { describe, expect, onTestFinished } from 'vitest';
import {
  publishEvents,
  Receiver,
  startDeliveryWorld,
  subscribe,
  tenant,
  until,
  updatedEvent,
} from './test-support';

interface AttemptRow {
  delivery_id: string;
  tenant_id: string;
  attempt: number;
  outcome: string;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
  retry_after_ms: number | null;
  attempted_at: string;
  next_attempt_at: string | null;
  duration_ms: number;
}

async function attemptsOf(orm: Orm, subscriptionId: string): Promise<AttemptRow[]> {
  return orm.em.fork().execute<AttemptRow[]>(
    `select a.delivery_id, a.tenant_id::text as tenant_id, a.attempt, a.outcome, a.status_code, a.error,
            a.response_excerpt, a.retry_after_ms, a.attempted_at, a.next_attempt_at, a.duration_ms
       from pricebook_webhook_attempts a join pricebook_webhook_deliveries d on d.id = a.delivery_id
      where d.subscription_id = ? order by a.attempted_at, a.id`,
    [subscriptionId],
  );
}

const startWorld = (databaseUrl: string, natsUrl: string) =>
  startDeliveryWorld(databaseUrl, natsUrl, { schedule: [0, 100, 200, 300], concurrency: 4 });

describe('webhook delivery attempts', () => {
  test('a receiver that fails twice then succeeds leaves three attempts, in order, with what it answered', async ({
    database,
    nats,
  }) => {
    const { orm, js } = await startWorld(database.url, nats.url);
    const receiver = new Receiver();
    const replies = [
      { status: 503, headers: { 'retry-after': '1' }, body: '{"error":"maintenance"}' },
      // A large body: only its first kilobyte is kept.
      { status: 500, body: 'x'.repeat(5_000) },
      { status: 200, body: 'ok' },
    ];
    receiver.reply = () => replies.shift() ?? 200;
    await receiver.start();
    onTestFinished(() => receiver.stop());
    const sub = await subscribe(orm, receiver.url, ['record.updated']);
    await publishEvents(js, [updatedEvent(1)]);
    await until(async () => (await attemptsOf(orm, sub.id)).length === 3, 'three attempts');

    const attempts = await attemptsOf(orm, sub.id);
    expect(attempts.map((a) => [a.attempt, a.outcome, a.status_code])).toEqual([
      [1, 'failed', 503],
      [2, 'failed', 500],
      [3, 'succeeded', 200],
    ]);
    const [first, second, third] = attempts;
    expect(first).toMatchObject({
      tenant_id: tenant,
      error: 'HTTP 503',
      response_excerpt: '{"error":"maintenance"}',
      retry_after_ms: 1_000,
    });
    // The Retry-After (1 s) beat the schedule's 100 ms.
    const waited = Date.parse(String(first?.next_attempt_at)) - Date.parse(String(first?.attempted_at));
    expect(waited).toBeGreaterThanOrEqual(1_000);
    expect(second?.response_excerpt).toBe('x'.repeat(webhookResponseExcerptBytes));
    expect(second?.retry_after_ms).toBeNull();
    expect(third).toMatchObject({
      error: null,
      response_excerpt: 'ok',
      retry_after_ms: null,
      next_attempt_at: null,
    });
    expect(attempts.every((a) => a.duration_ms >= 0)).toBe(true);
    expect(new Set(attempts.map((a) => a.delivery_id)).size).toBe(1);

    // Nothing that was sent is kept: no signature, no secret.
    const [stored] = await orm.em
      .fork()
      .execute<{ text: string }[]>(
        `select string_agg(to_jsonb(a)::text, ' ') as text from pricebook_webhook_attempts a`,
      );
    const signatures = receiver.received.map((r) => String(r.headers['webhook-signature']));
    expect(signatures).toHaveLength(3);
    for (const s of signatures) expect(stored?.text).not.toContain(s.slice(3));
    expect(stored?.text).not.toContain(sub.secret);
  });

  test('a receiver that cannot be reached leaves attempts with no status and the network error', async ({
    database,
    nats,
  }) => {
    const { orm, js } = await startWorld(database.url, nats.url);
    const receiver = new Receiver();
    await receiver.start();
    const url = receiver.url;
    await receiver.stop();
    const sub = await subscribe(orm, url, ['record.updated']);
    await publishEvents(js, [updatedEvent(1)]);
    await until(async () => (await attemptsOf(orm, sub.id)).length >= 2, 'two attempts');
    const [first] = await attemptsOf(orm, sub.id);
    expect(first).toMatchObject({ attempt: 1, outcome: 'failed', status_code: null, response_excerpt: null });
    expect(first?.error).toMatch(/ECONNREFUSED/);
  });
});
