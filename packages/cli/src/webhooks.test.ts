import {
  WebhookAttemptList,
  WebhookCreated,
  WebhookDeliveryList,
  WebhookResponse,
} from '@pricebook/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from './run';
import { recordingIo, stubApiForFile } from './test-support';

const id = 'a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f607';
const deliveryId = 'd7e6f5a4-b3c2-4d1e-9f08-a1b2c3d4e5f6';
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const webhook = {
  id,
  tenantId: '1045327',
  url: 'https://n8n.example.com/webhook/pricebook-conflicts',
  eventTypes: ['conflict.opened'],
  entityTypes: null,
  description: 'Conflicts to the n8n chat workflow',
  status: 'active',
  disabledReason: null,
  disabledAt: null,
  createdAt: '2026-12-06T15:00:00.000Z',
  updatedAt: '2026-12-06T15:00:00.000Z',
};
const disabled = {
  ...webhook,
  status: 'disabled',
  disabledReason: 'HTTP 503 on every attempt for 5 days',
  disabledAt: '2026-12-11T15:00:00.000Z',
};
const delivery = {
  id: deliveryId,
  subscriptionId: id,
  eventId: '90214',
  eventType: 'conflict.opened',
  status: 'failed',
  attempts: 9,
  lastStatusCode: 503,
  lastError: 'HTTP 503',
  lastResponseMs: 84,
  lastAttemptAt: '2026-12-07T15:00:05.120Z',
  nextAttemptAt: null,
  createdAt: '2026-12-06T15:00:00.000Z',
  deliveredAt: null,
};
const attempt = {
  id: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
  deliveryId,
  attempt: 2,
  attemptedAt: '2026-12-07T15:00:05.120Z',
  outcome: 'failed',
  statusCode: 503,
  durationMs: 84,
  error: 'HTTP 503',
  responseExcerpt: 'down for maintenance',
  retryAfterMs: 120_000,
  nextAttemptAt: '2026-12-07T15:02:05.204Z',
};

const io = (env: Record<string, string> = {}) => recordingIo(api.url, env);

const api = stubApiForFile({ otherwise: { status: 200, body: { success: true, webhook } } });
const { seen, answers } = api;

beforeAll(() => {
  // The answers below are the contracts' shapes: a fixture that drifts from them fails here first.
  WebhookCreated.parse({ success: true, webhook, secret });
  WebhookResponse.parse({ success: true, webhook: disabled });
  WebhookDeliveryList.parse({ success: true, deliveries: [delivery], page: { limit: 50, nextCursor: null } });
  WebhookAttemptList.parse({ success: true, attempts: [attempt], page: { limit: 50, nextCursor: null } });
});

describe('pricebook webhooks', () => {
  it('adds a subscription and prints its signing secret once, after the subscription', async () => {
    answers.set('POST /api/webhooks', { status: 201, body: { success: true, webhook, secret } });
    const out = io();
    const args = ['webhooks', 'add', webhook.url, '--event', 'conflict.opened,conflict.resolved'];
    const code = await run([...args, '--entity', 'materials', '--description', 'to n8n'], out);
    expect(code, out.stderr.join('\n')).toBe(0);
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/api/webhooks',
        tenant: undefined,
        body: {
          url: webhook.url,
          eventTypes: ['conflict.opened', 'conflict.resolved'],
          entityTypes: ['materials'],
          description: 'to n8n',
        },
      },
    ]);
    expect(out.stdout[0]).toContain(`Webhook:     ${id}`);
    expect(out.stdout[1]).toBe(
      `\nSigning secret (shown only now; keep it where the receiver reads it):\n${secret}`,
    );
    expect(out.stdout.join('\n').split(secret)).toHaveLength(2);
    expect(out.stderr).toEqual([]);
  });

  it('refuses an unknown event type or no event before calling the API', async () => {
    const unknown = io();
    expect(await run(['webhooks', 'add', webhook.url, '--event', 'record.conflicted'], unknown)).toBe(2);
    expect(unknown.stderr[0]).toMatch(/--event must be one of .*conflict\.opened/);
    const none = io();
    expect(await run(['webhooks', 'add', webhook.url], none)).toBe(2);
    expect(none.stderr[0]).toMatch(/needs at least one --event/);
    expect(seen).toEqual([]);
  });

  it('lists subscriptions with why a disabled one stopped', async () => {
    answers.set('GET /api/webhooks?status=disabled', {
      status: 200,
      body: { success: true, webhooks: [disabled], page: { limit: 50, nextCursor: null } },
    });
    const out = io();
    expect(await run(['webhooks', 'list', '--status', 'disabled'], out)).toBe(0);
    expect(out.stdout[0]).toMatch(/^ID +STATUS +EVENTS +URL +DISABLED BECAUSE/);
    expect(out.stdout[0]).toContain(
      `${id}  disabled  conflict.opened  ${webhook.url}  HTTP 503 on every attempt`,
    );
  });

  it('shows one subscription, and enables it again', async () => {
    answers.set(`GET /api/webhooks/${id}`, { status: 200, body: { success: true, webhook: disabled } });
    const shown = io();
    expect(await run(['webhooks', 'show', id], shown)).toBe(0);
    expect(shown.stdout[0]).toContain('Reason:      HTTP 503 on every attempt for 5 days');
    const enabled = io();
    expect(await run(['webhooks', 'enable', id], enabled)).toBe(0);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', path: `/api/webhooks/${id}/enable` });
    expect(enabled.stdout).toEqual([`webhook ${id} active`]);
  });

  it('removes a subscription (204)', async () => {
    answers.set(`DELETE /api/webhooks/${id}`, { status: 204 });
    const out = io();
    expect(await run(['webhooks', 'remove', id], out)).toBe(0);
    expect(out.stdout).toEqual([`webhook ${id} removed`]);
  });

  it('lists deliveries with their status and response code', async () => {
    answers.set(`GET /api/webhooks/${id}/deliveries?status=failed&limit=10`, {
      status: 200,
      body: { success: true, deliveries: [delivery], page: { limit: 10, nextCursor: null } },
    });
    const out = io();
    expect(await run(['webhooks', 'deliveries', id, '--status', 'failed', '--limit', '10'], out)).toBe(0);
    expect(out.stdout[0]).toMatch(/^DELIVERY +EVENT +STATUS +ATTEMPTS +CODE +LAST ATTEMPT +NEXT \/ ERROR/);
    expect(out.stdout[0]).toMatch(
      new RegExp(`${deliveryId} +conflict.opened +failed +9 +503 +2026-12-07 15:00:05Z +HTTP 503`),
    );
    const bad = io();
    expect(await run(['webhooks', 'deliveries', id, '--limit', '0'], bad)).toBe(2);
  });

  it("lists a delivery's attempts with their outcome, code, duration and Retry-After", async () => {
    answers.set(`GET /api/webhooks/${id}/deliveries/${deliveryId}/attempts?limit=5`, {
      status: 200,
      body: { success: true, attempts: [attempt], page: { limit: 5, nextCursor: null } },
    });
    const out = io();
    expect(await run(['webhooks', 'attempts', id, deliveryId, '--limit', '5'], out)).toBe(0);
    expect(out.stdout[0]).toMatch(/^# +AT +OUTCOME +CODE +TOOK +RETRY-AFTER +ERROR/);
    expect(out.stdout[0]).toMatch(/2 +2026-12-07 15:00:05Z +failed +503 +84 ms +120 s +HTTP 503/);
    const missing = io();
    expect(await run(['webhooks', 'attempts', id], missing)).toBe(2);
    expect(missing.stderr[0]).toMatch(/needs a delivery id/);
    const bad = io();
    expect(await run(['webhooks', 'attempts', id, deliveryId, '--limit', '101'], bad)).toBe(2);
  });

  it('replays one delivery, or every event of a time range', async () => {
    answers.set(`POST /api/webhooks/${id}/deliveries/${deliveryId}/replay`, {
      status: 200,
      body: {
        success: true,
        delivery: { ...delivery, status: 'pending', nextAttemptAt: delivery.createdAt },
      },
    });
    const one = io();
    expect(await run(['webhooks', 'replay', id, deliveryId], one)).toBe(0);
    expect(one.stdout).toEqual([`delivery ${deliveryId} queued again`]);

    answers.set(`POST /api/webhooks/${id}/replay`, { status: 200, body: { success: true, queued: 42 } });
    const range = io();
    const since = '2026-12-06T00:00:00Z';
    expect(await run(['webhooks', 'replay', id, '--since', since], range)).toBe(0);
    expect(seen.at(-1)).toMatchObject({ path: `/api/webhooks/${id}/replay`, body: { since } });
    expect(range.stdout).toEqual(['42 deliveries queued again']);

    const neither = io();
    expect(await run(['webhooks', 'replay', id], neither)).toBe(2);
    expect(neither.stderr[0]).toMatch(/needs a delivery id or --since/);
  });

  it('prints --json for scripts, the secret included on add', async () => {
    answers.set('POST /api/webhooks', { status: 201, body: { success: true, webhook, secret } });
    const out = io();
    expect(await run(['webhooks', 'add', webhook.url, '--event', 'conflict.opened', '--json'], out)).toBe(0);
    expect(JSON.parse(out.stdout.join('\n'))).toEqual({ success: true, webhook, secret });
  });

  it('prints a refusal as one line', async () => {
    answers.set('POST /api/webhooks', {
      status: 400,
      body: {
        type: 'about:blank',
        title: 'Bad request',
        status: 400,
        detail: 'the request is not valid',
        code: 'validation_failed',
        retry: false,
        errors: [{ path: 'url', in: 'body', message: 'the URL resolves to a private address' }],
      },
    });
    const out = io();
    expect(await run(['webhooks', 'add', 'https://10.0.0.5/x', '--event', 'conflict.opened'], out)).toBe(2);
    expect(out.stderr[0]).toMatch(
      /^pricebook: 400 validation_failed: .*url: the URL resolves to a private address/,
    );
  });
});
