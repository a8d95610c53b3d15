import { purgeRevokedSessions, purgeSessionCutoffs } from '@pricebook/db';
import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../context';
import { call, keys, type SignedIn, signIn, startHarness } from '../test-support';

const h = forFile(() => startHarness());
let app: ApiApp;

beforeAll(() => {
  app = h.app({ tenantId: h.tenant() });
});

const me = (signedIn: SignedIn, on: ApiApp = app) =>
  call(on, 'GET', '/api/session', { headers: { cookie: signedIn.cookie } });
const signOut = (signedIn: SignedIn) =>
  call(app, 'DELETE', '/api/session', {
    headers: { cookie: signedIn.cookie, 'x-csrf-token': signedIn.csrfToken },
  });
const revoke = (body: unknown, key: string = keys.admin) =>
  call(app, 'POST', '/api/sessions/revoke', { key, body });
/** The nonce that names a session (read from its cookie's claims, as the API reads it). */
const nonceOf = (signedIn: SignedIn): string => {
  const payload = signedIn.cookie.split('=')[1]?.split('.')[1] ?? '';
  return String(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).nonce);
};
/** The label of a key, as the API names it. */
const labelOf = async (key: string) =>
  String((await call(app, 'GET', '/api/session', { key })).body.principal);

describe('DELETE /api/session', () => {
  it('ends the session on the server: a copy of the signed-out cookie is refused (401)', async () => {
    const session = await signIn(app, keys.operator);
    expect((await me(session)).status).toBe(200);
    expect((await signOut(session)).status).toBe(204);
    const res = await me(session);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ code: 'unauthorized', detail: 'the session has ended: sign in again' });
    // Writes too, with the CSRF token it had, and on another replica.
    const write = await call(app, 'POST', '/api/sync/pricebook/full', {
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      body: {},
    });
    expect(write.status).toBe(401);
    expect((await me(session, h.app())).status).toBe(401);
  });

  it('leaves the other sessions of the same key working', async () => {
    const laptop = await signIn(app, keys.viewer);
    const phone = await signIn(app, keys.viewer);
    await signOut(laptop);
    expect((await me(laptop)).status).toBe(401);
    expect((await me(phone)).body).toMatchObject({ role: 'viewer' });
  });

  it('signs out twice, or with an ended session, without error', async () => {
    const session = await signIn(app, keys.viewer);
    expect((await signOut(session)).status).toBe(204);
    expect((await signOut(session)).status).toBe(204);
  });

  it('stores the session by its nonce with the expiry of its cookie, never the cookie', async () => {
    const session = await signIn(app, keys.admin);
    const { expiresAt } = (await me(session)).body;
    await signOut(session);
    const rows = await h.sql<{ nonce: string; kid: string; expires_at: string | Date }>(
      'select nonce, kid, expires_at from pricebook_revoked_sessions where kid = ?',
      [await labelOf(keys.admin)],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.nonce).toBe(nonceOf(session));
    expect(new Date(rows[0]?.expires_at ?? 0).toISOString()).toBe(expiresAt);
    expect(JSON.stringify(rows)).not.toContain(session.cookie.split('=')[1] ?? '');
  });
});

describe('POST /api/sessions/revoke', () => {
  it("ends every session of the key issued before, but not the key, another key's sessions, or a new session", async () => {
    const one = await signIn(app, keys.operator);
    const two = await signIn(app, keys.operator);
    const viewer = await signIn(app, keys.viewer);
    const kid = await labelOf(keys.operator);

    const res = await revoke({ kid });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kid, all: false, notBefore: expect.any(String) });

    for (const ended of [one, two]) {
      expect((await me(ended)).body).toMatchObject({ detail: 'the session has ended: sign in again' });
    }
    expect((await me(viewer)).status).toBe(200);
    expect((await call(app, 'GET', '/api/session', { key: keys.operator })).status).toBe(200);
    const after = await signIn(app, keys.operator);
    expect((await me(after)).body).toMatchObject({ role: 'operator' });
  });

  it('ends the sessions of every key with { all: true }, the admin session that asked included', async () => {
    const viewer = await signIn(app, keys.viewer);
    const admin = await signIn(app, keys.admin);
    const res = await call(app, 'POST', '/api/sessions/revoke', {
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
      body: { all: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kid: null, all: true });
    expect((await me(viewer)).status).toBe(401);
    expect((await me(admin)).status).toBe(401);
    expect((await me(await signIn(app, keys.viewer))).status).toBe(200);
  });

  it('is refused to a viewer or an operator (403), by key or by session, and ends nothing', async () => {
    const victim = await signIn(app, keys.viewer);
    const kid = await labelOf(keys.viewer);
    for (const key of [keys.viewer, keys.operator]) {
      const res = await revoke({ kid }, key);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'forbidden', requiredRole: 'admin' });
      const session = await signIn(app, key);
      const viaSession = await call(app, 'POST', '/api/sessions/revoke', {
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
        body: { all: true },
      });
      expect(viaSession.status).toBe(403);
    }
    expect((await me(victim)).status).toBe(200);
  });

  it('needs a key (401) and, with the cookie, the CSRF token (403)', async () => {
    expect((await call(app, 'POST', '/api/sessions/revoke', { body: { all: true } })).status).toBe(401);
    const admin = await signIn(app, keys.admin);
    const res = await call(app, 'POST', '/api/sessions/revoke', {
      headers: { cookie: admin.cookie },
      body: { all: true },
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ reason: 'csrf' });
  });

  it.each([
    ['no body', undefined],
    ['neither kid nor all', {}],
    ['both', { kid: 'viewer:0123456789ab', all: true }],
    ['all: false', { all: false }],
    ['a key rather than its label', { kid: keys.viewer }],
    ['an unknown field', { all: true, tenant: '1001' }],
  ])('%s → 400', async (_what, body) => {
    const res = await revoke(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed' });
    expect(JSON.stringify(res.body)).not.toContain(keys.viewer);
  });

  it('a label no configured key has → 404', async () => {
    const res = await revoke({ kid: 'operator:000000000000' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found' });
  });

  it('a key bound to tenants may end its own sessions, not those of an unbound key nor every key (403)', async () => {
    const bound = 'admin-bound-key-0123456789abcdef';
    const tenantApp = h.app({
      config: {
        apiKeys: [
          { role: 'admin', key: bound, tenants: ['1001'] },
          { role: 'operator', key: keys.operator },
        ],
      },
    });
    const own = String((await call(tenantApp, 'GET', '/api/session', { key: bound })).body.principal);
    const operator = await signIn(tenantApp, keys.operator);
    for (const body of [{ kid: await labelOf(keys.operator) }, { all: true }]) {
      const res = await call(tenantApp, 'POST', '/api/sessions/revoke', { key: bound, body });
      expect(res.status, JSON.stringify(body)).toBe(403);
    }
    expect((await me(operator, tenantApp)).status).toBe(200);
    const res = await call(tenantApp, 'POST', '/api/sessions/revoke', { key: bound, body: { kid: own } });
    expect(res.status).toBe(200);
  });
});

describe('housekeeping', () => {
  it('purges the rows of ended sessions once their cookies have expired, and only those', async () => {
    const expired = await signIn(app, keys.viewer);
    const live = await signIn(app, keys.viewer);
    await signOut(expired);
    await signOut(live);
    const kid = await labelOf(keys.viewer);
    await revoke({ kid });
    // As a session lifetime later: the first cookie and the cutoff have expired.
    const expiredNonce = nonceOf(expired);
    await h.sql(
      `update pricebook_revoked_sessions set expires_at = now() - interval '1 second' where nonce = ?`,
      [expiredNonce],
    );
    await h.sql(
      `update pricebook_session_cutoffs set expires_at = now() - interval '1 second' where kid = ?`,
      [kid],
    );

    const em = h.orm.em.fork();
    expect(await purgeRevokedSessions(em, { limit: 1000 })).toBe(1);
    expect(await purgeSessionCutoffs(em, { limit: 1000 })).toBe(1);
    const left = (await h.sql<{ nonce: string }>('select nonce from pricebook_revoked_sessions')).map(
      (r) => r.nonce,
    );
    expect(left).not.toContain(expiredNonce);
    expect(left).toContain(nonceOf(live));
    // The live one is still refused: its row stays until its cookie expires.
    expect((await me(live)).status).toBe(401);
  });
});
