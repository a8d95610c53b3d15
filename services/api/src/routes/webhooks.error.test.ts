import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());

interface ProblemBody {
  status: number;
  detail: string;
  field?: string;
  reason?: string;
}

async function refused(url: string) {
  return call<ProblemBody>(h.app(), 'POST', '/api/webhooks', {
    key: keys.admin,
    body: { url, eventTypes: ['conflict.opened'] },
  });
}

describe('/api/webhooks errors', () => {
  it('refuses URLs in private ranges, and http, without WEBHOOKS_ALLOW_PRIVATE_URLS', async () => {
    for (const [url, reason] of [
      ['https://127.0.0.1/hook', 'private_address'],
      ['https://10.0.0.8/hook', 'private_address'],
      ['https://169.254.169.254/latest/meta-data', 'private_address'],
      ['https://100.64.1.1/', 'private_address'],
      ['https://[::1]/hook', 'private_address'],
      ['https://[fd00::1]/hook', 'private_address'],
      ['https://[::ffff:192.168.0.1]/hook', 'private_address'],
      ['http://93.184.215.14/hook', 'scheme'],
      ['https://user:pw@93.184.215.14/hook', 'credentials'],
    ] as const) {
      const res = await refused(url);
      expect(res.status, url).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body, url).toMatchObject({ field: 'url', reason });
    }
    const loopback = await refused('https://127.0.0.1/hook');
    expect(loopback.body.detail).toMatch(/loopback address/);
    expect(await h.sql('select 1 from pricebook_webhook_subscriptions')).toHaveLength(0);
  });

  it('refuses the same on a change of URL', async () => {
    const created = await call<{ webhook: { id: string } }>(
      h.app({ config: { webhooks: { allowPrivateUrls: true } } }),
      'POST',
      '/api/webhooks',
      { key: keys.admin, body: { url: 'http://127.0.0.1:9/', eventTypes: ['sync.completed'] } },
    );
    const res = await call<ProblemBody>(h.app(), 'PATCH', `/api/webhooks/${created.body.webhook.id}`, {
      key: keys.admin,
      body: { url: 'https://192.168.1.20/' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ field: 'url', reason: 'private_address' });
  });

  it('refuses unknown event types, a backwards replay range, and unknown ids', async () => {
    const bad = await call(h.app(), 'POST', '/api/webhooks', {
      key: keys.admin,
      body: { url: 'https://93.184.215.14/', eventTypes: ['record.conflicted'] },
    });
    expect(bad.status).toBe(400);
    const missing = '5f0e3b1a-2c4d-4e6f-8a9b-0c1d2e3f4a5b';
    expect((await call(h.app(), 'GET', `/api/webhooks/${missing}`, { key: keys.admin })).status).toBe(404);
    const backwards = await call(h.app(), 'POST', `/api/webhooks/${missing}/replay`, {
      key: keys.admin,
      body: { since: '2026-12-06T12:00:00Z', until: '2026-12-06T10:00:00Z' },
    });
    expect(backwards.status).toBe(400);
    const replay = await call(h.app(), 'POST', `/api/webhooks/${missing}/deliveries/${missing}/replay`, {
      key: keys.admin,
    });
    expect(replay.status).toBe(404);
  });
});
