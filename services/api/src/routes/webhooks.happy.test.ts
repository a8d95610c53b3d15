import {
  WebhookCreated,
  WebhookDeliveryList,
  WebhookDeliveryResponse,
  WebhookList,
  WebhookReplayResponse,
  WebhookResponse,
} from '@pricebook/contracts';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());
const allowPrivate = () => h.app({ config: { webhooks: { allowPrivateUrls: true } } });

interface Created {
  webhook: { id: string; status: string; entityTypes: string[] | null };
  secret: string;
}

async function create(body: Record<string, unknown> = {}) {
  const res = await call<Created>(allowPrivate(), 'POST', '/api/webhooks', {
    key: keys.admin,
    body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['conflict.opened', 'record.updated'], ...body },
  });
  expect(res.status).toBe(201);
  return res;
}

/** Two recorded deliveries of a subscription, an hour apart, the older one failed. */
async function seedDeliveries(subscriptionId: string) {
  await h.sql(
    `insert into pricebook_webhook_deliveries
       (subscription_id, tenant_id, event_id, event_type, occurred_at, payload, status, attempts, last_status_code, last_error, next_attempt_at)
     values (?, 1001, 'evt:old', 'record.updated', '2026-12-06T10:00:00Z', '{"id":"evt:old"}', 'failed', 8, 500, 'HTTP 500', null),
            (?, 1001, 'evt:new', 'conflict.opened', '2026-12-06T11:00:00Z', '{"id":"evt:new"}', 'succeeded', 1, 204, null, null)`,
    [subscriptionId, subscriptionId],
  );
}

describe('/api/webhooks', () => {
  it('adds a subscription and shows its signing secret once, never again', async () => {
    const created = await create({ description: 'chat' });
    expect(WebhookCreated.safeParse(created.body).error).toBeUndefined();
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(created.body.webhook).toMatchObject({ status: 'active', entityTypes: null });
    expect(created.headers.get('location')).toBe(`/api/webhooks/${created.body.webhook.id}`);
    expect(created.headers.get('cache-control')).toBe('no-store');

    const { id } = created.body.webhook;
    const one = await call(h.app(), 'GET', `/api/webhooks/${id}`, { key: keys.admin });
    expect(one.status).toBe(200);
    expect(WebhookResponse.safeParse(one.body).error).toBeUndefined();
    const list = await call(h.app(), 'GET', '/api/webhooks', { key: keys.admin });
    expect(WebhookList.safeParse(list.body).error).toBeUndefined();
    for (const body of [one.body, list.body]) {
      const text = JSON.stringify(body);
      expect(text).not.toContain(created.body.secret);
      expect(text).not.toContain(created.body.secret.slice('whsec_'.length));
      expect(text).not.toContain('"secret"');
    }
    const [stored] = await h.sql<{ secret: string }>(
      'select secret from pricebook_webhook_subscriptions where id = ?',
      [id],
    );
    expect(stored?.secret).not.toContain(created.body.secret.slice('whsec_'.length));
  });

  it('changes, disables (as the service does) and enables a subscription', async () => {
    const { id } = (await create()).body.webhook;
    const changed = await call<Created>(h.app(), 'PATCH', `/api/webhooks/${id}`, {
      key: keys.admin,
      body: { eventTypes: ['conflict.resolved'], entityTypes: ['materials'] },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.webhook).toMatchObject({ entityTypes: ['materials'] });
    await h.sql(
      `update pricebook_webhook_subscriptions set status = 'disabled', disabled_reason = 'HTTP 410 Gone', disabled_at = now() where id = ?`,
      [id],
    );
    const disabled = await call<{ webhook: { status: string; disabledReason: string } }>(
      h.app(),
      'GET',
      `/api/webhooks/${id}`,
      { key: keys.admin },
    );
    expect(disabled.body.webhook).toMatchObject({ status: 'disabled', disabledReason: 'HTTP 410 Gone' });
    const enabled = await call<{ webhook: { status: string; disabledReason: null } }>(
      h.app(),
      'POST',
      `/api/webhooks/${id}/enable`,
      { key: keys.admin },
    );
    expect(enabled.status).toBe(200);
    expect(enabled.body.webhook).toMatchObject({ status: 'active', disabledReason: null });
  });

  it('lists deliveries newest first and replays one, or a time range', async () => {
    const { id } = (await create()).body.webhook;
    await seedDeliveries(id);
    const log = await call<{ deliveries: Array<{ id: string; eventId: string; status: string }> }>(
      h.app(),
      'GET',
      `/api/webhooks/${id}/deliveries?limit=1`,
      { key: keys.admin },
    );
    expect(WebhookDeliveryList.safeParse(log.body).error).toBeUndefined();
    const failed = await call<{ deliveries: Array<{ id: string; eventId: string }> }>(
      h.app(),
      'GET',
      `/api/webhooks/${id}/deliveries?status=failed`,
      { key: keys.admin },
    );
    expect(failed.body.deliveries.map((d) => d.eventId)).toEqual(['evt:old']);

    const target = failed.body.deliveries[0]?.id;
    const replayed = await call<{ delivery: { status: string; attempts: number } }>(
      h.app(),
      'POST',
      `/api/webhooks/${id}/deliveries/${target}/replay`,
      { key: keys.admin },
    );
    expect(replayed.status).toBe(200);
    expect(WebhookDeliveryResponse.safeParse(replayed.body).error).toBeUndefined();
    expect(replayed.body.delivery).toMatchObject({ status: 'pending', attempts: 0 });

    const range = await call<{ queued: number }>(h.app(), 'POST', `/api/webhooks/${id}/replay`, {
      key: keys.admin,
      body: { since: '2026-12-06T10:30:00Z', until: '2026-12-06T12:00:00Z' },
    });
    expect(range.status).toBe(200);
    expect(WebhookReplayResponse.safeParse(range.body).error).toBeUndefined();
    expect(range.body.queued).toBe(1);
    const pending = await h.sql<{ event_id: string }>(
      `select event_id from pricebook_webhook_deliveries where subscription_id = ? and status = 'pending' order by event_id`,
      [id],
    );
    expect(pending.map((r) => r.event_id)).toEqual(['evt:new', 'evt:old']);
  });

  it('deletes a subscription with its delivery log and attempts', async () => {
    const { id } = (await create()).body.webhook;
    await seedDeliveries(id);
    await h.sql(
      `insert into pricebook_webhook_attempts
         (delivery_id, subscription_id, tenant_id, attempt, attempted_at, outcome, status_code, duration_ms)
       select id, subscription_id, tenant_id, 1, now(), 'failed', 500, 10 from pricebook_webhook_deliveries
        where subscription_id = ?`,
      [id],
    );
    expect((await call(h.app(), 'DELETE', `/api/webhooks/${id}`, { key: keys.admin })).status).toBe(204);
    expect((await call(h.app(), 'DELETE', `/api/webhooks/${id}`, { key: keys.admin })).status).toBe(204);
    expect((await call(h.app(), 'GET', `/api/webhooks/${id}`, { key: keys.admin })).status).toBe(404);
    expect(
      await h.sql('select 1 from pricebook_webhook_deliveries where subscription_id = ?', [id]),
    ).toHaveLength(0);
    expect(
      await h.sql('select 1 from pricebook_webhook_attempts where subscription_id = ?', [id]),
    ).toHaveLength(0);
  });
});
