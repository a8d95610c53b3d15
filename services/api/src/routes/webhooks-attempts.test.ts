import { WebhookAttemptList } from '@pricebook/contracts';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());

interface Attempts {
  attempts: Array<{
    attempt: number;
    statusCode: number | null;
    outcome: string;
    retryAfterMs: number | null;
  }>;
  page: { nextCursor: string | null };
}

/** A subscription of `tenantId` with one delivery and its three attempts (503, 500, 204). */
async function seed(tenantId = '1001') {
  const [sub] = await h.sql<{ id: string }>(
    `insert into pricebook_webhook_subscriptions (tenant_id, url, event_types, secret, secrets_key_id)
     values (?, 'http://127.0.0.1:9/hook', '{record.updated}', 'sealed-fake', 'k1') returning id`,
    [tenantId],
  );
  const [delivery] = await h.sql<{ id: string }>(
    `insert into pricebook_webhook_deliveries
       (subscription_id, tenant_id, event_id, event_type, occurred_at, payload, status, attempts, last_status_code)
     values (?, ?, 'evt:a', 'record.updated', '2026-12-06T10:00:00Z', '{"id":"evt:a"}', 'succeeded', 3, 204)
     returning id`,
    [sub?.id, tenantId],
  );
  await h.sql(
    `insert into pricebook_webhook_attempts
       (delivery_id, subscription_id, tenant_id, attempt, attempted_at, outcome, status_code, duration_ms, error,
        response_excerpt, retry_after_ms, next_attempt_at)
     values (?, ?, ?, 1, '2026-12-06T10:00:01Z', 'failed', 503, 40, 'HTTP 503', 'busy', 60000, '2026-12-06T10:01:01Z'),
            (?, ?, ?, 2, '2026-12-06T10:01:02Z', 'failed', 500, 41, 'HTTP 500', null, null, '2026-12-06T10:06:02Z'),
            (?, ?, ?, 3, '2026-12-06T10:06:03Z', 'succeeded', 204, 12, null, null, null, null)`,
    [delivery?.id, sub?.id, tenantId, delivery?.id, sub?.id, tenantId, delivery?.id, sub?.id, tenantId],
  );
  return { id: sub?.id ?? '', deliveryId: delivery?.id ?? '' };
}

const path = (s: { id: string; deliveryId: string }) =>
  `/api/webhooks/${s.id}/deliveries/${s.deliveryId}/attempts`;

describe('GET /api/webhooks/{id}/deliveries/{deliveryId}/attempts', () => {
  it('lists a delivery’s attempts newest first, a page at a time', async () => {
    const s = await seed();
    const first = await call<Attempts>(h.app(), 'GET', `${path(s)}?limit=2`, { key: keys.admin });
    expect(first.status).toBe(200);
    expect(WebhookAttemptList.safeParse(first.body).error).toBeUndefined();
    expect(first.body.attempts.map((a) => [a.attempt, a.outcome, a.statusCode])).toEqual([
      [3, 'succeeded', 204],
      [2, 'failed', 500],
    ]);
    const cursor = first.body.page.nextCursor;
    expect(cursor).not.toBeNull();
    const second = await call<Attempts>(
      h.app(),
      'GET',
      `${path(s)}?limit=2&cursor=${encodeURIComponent(cursor ?? '')}`,
      { key: keys.admin },
    );
    expect(second.body.attempts).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: 503, retryAfterMs: 60_000, responseExcerpt: 'busy' }),
    ]);
    expect(second.body.page.nextCursor).toBeNull();
  });

  it('answers 404 for an unknown delivery, and 400 for a bad id or cursor', async () => {
    const s = await seed();
    const unknown = { ...s, deliveryId: 'c0ffee00-0000-4000-8000-000000000000' };
    expect((await call(h.app(), 'GET', path(unknown), { key: keys.admin })).status).toBe(404);
    const bad = await call(h.app(), 'GET', path({ ...s, deliveryId: 'nope' }), { key: keys.admin });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((await call(h.app(), 'GET', `${path(s)}?cursor=zzz`, { key: keys.admin })).status).toBe(400);
  });

  it("shows one tenant nothing of another tenant's delivery attempts (404)", async () => {
    const theirs = await seed('1002');
    const res = await call(h.app(), 'GET', path(theirs), { key: keys.admin });
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain('HTTP 503');
    // Another subscription's id with this delivery is not found either.
    const mine = await seed();
    expect(
      (await call(h.app(), 'GET', path({ ...mine, deliveryId: theirs.deliveryId }), { key: keys.admin }))
        .status,
    ).toBe(404);
  });
});
