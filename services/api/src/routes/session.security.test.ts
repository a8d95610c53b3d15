import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../context';
import { call, keys, signIn, startHarness } from '../test-support';

const h = forFile(() => startHarness());
let app: ApiApp;

beforeAll(() => {
  app = h.app({ tenantId: h.tenant() });
});

const full = '/api/sync/pricebook/full';

describe('CSRF', () => {
  it('refuses a cookie-authenticated unsafe request without the token (403) and starts nothing', async () => {
    const tenant = h.tenant();
    const tenantApp = h.app({ tenantId: tenant });
    const { cookie, csrfToken } = await signIn(tenantApp, keys.admin);
    const other = await signIn(tenantApp, keys.admin);
    for (const token of [undefined, '', `${csrfToken}x`, other.csrfToken]) {
      const headers: Record<string, string> = { cookie };
      if (token !== undefined) headers['x-csrf-token'] = token;
      const res = await call(tenantApp, 'POST', full, { headers, body: {} });
      expect(res.status, String(token)).toBe(403);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({ code: 'forbidden', reason: 'csrf' });
    }
    const rows = await h.sql('select id from pricebook_sync_log where tenant_id = ?', [tenant]);
    expect(rows).toHaveLength(0);
  });

  it('checks the token on PATCH and DELETE too, before validating anything', async () => {
    const { cookie } = await signIn(app, keys.admin);
    for (const method of ['PATCH', 'DELETE']) {
      const res = await call(app, method, '/api/pricebook/materials/st:1', { headers: { cookie }, body: {} });
      expect(res.status, method).toBe(403);
    }
  });

  it('leaves bearer requests as they were: no token needed, even with a cookie beside', async () => {
    const tenantApp = h.app({ tenantId: h.tenant() });
    const { cookie } = await signIn(tenantApp, keys.viewer);
    const res = await call(tenantApp, 'POST', full, { key: keys.operator, headers: { cookie }, body: {} });
    expect(res.status).toBe(202);
  });
});

describe('roles through a session', () => {
  it('a viewer session may read but not start a sync (403 naming the role)', async () => {
    const { cookie, csrfToken } = await signIn(app, keys.viewer);
    const res = await call(app, 'POST', full, { headers: { cookie, 'x-csrf-token': csrfToken }, body: {} });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'forbidden', requiredRole: 'operator' });
  });

  it('an admin session may stop the scheduler', async () => {
    const { cookie, csrfToken } = await signIn(app, keys.admin);
    const res = await call(app, 'POST', '/api/sync/pricebook/scheduler/stop', {
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    // No KV in this harness: past the guard, the switch itself is unavailable.
    expect(res.status).toBe(503);
  });
});

describe('forged and stale cookies', () => {
  it('refuses a cookie signed with another secret, an edited one, or garbage (401)', async () => {
    const elsewhere = h.app({ config: { session: { secret: 'another-secret-'.repeat(3) } } });
    const { cookie } = await signIn(elsewhere, keys.admin);
    const [name, value = ''] = cookie.split('=');
    const [v, payload = '', mac = ''] = value.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const edited = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 1 })).toString('base64url');
    for (const forged of [cookie, `${name}=${v}.${edited}.${mac}`, `${name}=garbage`]) {
      const res = await call(app, 'GET', '/api/session', { headers: { cookie: forged } });
      expect(res.status, forged).toBe(401);
    }
  });

  it('ends a session when its key leaves API_KEYS', async () => {
    const { cookie } = await signIn(app, keys.operator);
    const secret = 'a-fixed-session-secret-0123456789';
    const before = h.app({ config: { session: { secret } } });
    const fixed = await signIn(before, keys.operator);
    const after = h.app({
      config: { session: { secret }, apiKeys: [{ role: 'admin', key: keys.admin }] },
    });
    expect((await call(after, 'GET', '/api/session', { headers: { cookie: fixed.cookie } })).status).toBe(
      401,
    );
    // Without SESSION_SECRET the secret is derived from the keys: a new key list ends every session.
    const derived = h.app({ config: { apiKeys: [{ role: 'operator', key: keys.operator }] } });
    expect((await call(derived, 'GET', '/api/session', { headers: { cookie } })).status).toBe(401);
  });

  it('never writes a key, the cookie or the CSRF token to the logs', async () => {
    const { cookie, csrfToken } = await signIn(app, keys.admin);
    await call(app, 'GET', '/api/session', { headers: { cookie } });
    await call(app, 'POST', '/api/session', { body: { apiKey: `${keys.viewer}-wrong` } });
    const logged = JSON.stringify(h.lines);
    expect(h.lines.some((l) => l.msg === 'session started')).toBe(true);
    for (const secret of [...Object.values(keys), cookie.split('=')[1] ?? '', csrfToken]) {
      expect(logged).not.toContain(secret);
    }
  });
});
