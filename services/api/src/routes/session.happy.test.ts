import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../context';
import { call, keys, signIn, startHarness } from '../test-support';

const h = forFile(() => startHarness());
let app: ApiApp;

beforeAll(() => {
  app = h.app({ tenantId: h.tenant() });
});

describe('POST /api/session', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie for the whole origin and returns the role', async () => {
    const res = await call(app, 'POST', '/api/session', { body: { apiKey: keys.operator } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      /^pricebook_session=v1\.[^;]+; Max-Age=28800; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    expect(res.body).toMatchObject({
      role: 'operator',
      principal: expect.stringMatching(/^operator:[0-9a-f]{12}$/),
      csrfToken: expect.any(String),
    });
    expect(Date.parse(String(res.body.expiresAt)) - Date.now()).toBeGreaterThan(7.9 * 3_600_000);
  });

  it('marks the cookie Secure when the request came over https (directly or through a proxy)', async () => {
    const direct = await app.request('https://console.example/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: keys.viewer }),
    });
    expect(direct.headers.get('set-cookie')).toMatch(/; Secure/);
    const proxied = await call(app, 'POST', '/api/session', {
      body: { apiKey: keys.viewer },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(proxied.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('lasts SESSION_TTL_MS', async () => {
    const short = h.app({ config: { session: { ttlMs: 600_000 } } });
    const { setCookie } = await signIn(short, keys.viewer);
    expect(setCookie).toContain('Max-Age=600;');
  });
});

describe('the session cookie', () => {
  it('reads with the role of its key, like the bearer key', async () => {
    const { cookie } = await signIn(app, keys.viewer);
    const status = await call(app, 'GET', '/api/sync/pricebook/status', { headers: { cookie } });
    expect(status.status).toBe(200);
    const me = await call(app, 'GET', '/api/session', { headers: { cookie } });
    expect(me.body).toMatchObject({ role: 'viewer', expiresAt: expect.any(String) });
  });

  it('starts a sync with its CSRF token and records who did it', async () => {
    const tenant = h.tenant();
    const tenantApp = h.app({ tenantId: tenant });
    const { cookie, csrfToken } = await signIn(tenantApp, keys.operator);
    const res = await call(tenantApp, 'POST', '/api/sync/pricebook/full', {
      headers: { cookie, 'x-csrf-token': csrfToken },
      body: { entityTypes: ['materials'] },
    });
    expect(res.status).toBe(202);
    const [row] = await h.sql<{ triggered_by: string }>(
      'select triggered_by from pricebook_sync_log where tenant_id = ?',
      [tenant],
    );
    expect(row?.triggered_by).toMatch(/^api:operator:[0-9a-f]{12}$/);
  });

  it('is accepted by another app with the same configuration (another replica, or after a restart)', async () => {
    const { cookie } = await signIn(app, keys.admin);
    const replica = h.app();
    expect((await call(replica, 'GET', '/api/session', { headers: { cookie } })).body).toMatchObject({
      role: 'admin',
    });
  });
});

describe('GET /api/session with a bearer key', () => {
  it('answers the role with no session fields', async () => {
    const res = await call(app, 'GET', '/api/session', { key: keys.admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'admin', expiresAt: null, csrfToken: null });
  });
});

describe('DELETE /api/session', () => {
  it('clears the cookie, with or without a session', async () => {
    const { cookie } = await signIn(app, keys.viewer);
    for (const headers of [{ cookie }, {}] as Array<Record<string, string>>) {
      const res = await call(app, 'DELETE', '/api/session', { headers });
      expect(res.status).toBe(204);
      expect(res.headers.get('set-cookie')).toMatch(
        /^pricebook_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict/,
      );
    }
  });
});
