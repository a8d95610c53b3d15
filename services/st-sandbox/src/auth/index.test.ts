import { describe, expect, it } from 'vitest';
import { requestToken, testSandbox } from '../test-support';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

describe('POST /connect/token', () => {
  it('issues a JWT-looking bearer token that claims 900 s and names tenant and client', async () => {
    const sb = testSandbox();
    const res = await requestToken(sb);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ expires_in: 900, token_type: 'Bearer' });
    expect(typeof body.scope).toBe('string');
    const parts = String(body.access_token).split('.');
    expect(parts).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString());
    expect(claims).toMatchObject({ tenant: '1000001', client_id: 'cid.sandbox' });
    expect(claims.exp - claims.nbf).toBe(900);
  });

  it('refuses bad credentials and malformed requests OAuth-style', async () => {
    const sb = testSandbox();
    const wrongSecret = await requestToken(sb, 'cid.sandbox', 'nope');
    expect(wrongSecret.status).toBe(400);
    expect(await wrongSecret.json()).toMatchObject({ error: 'invalid_client' });
    expect((await (await requestToken(sb, 'cid.unknown', 'x')).json()) as object).toMatchObject({
      error: 'invalid_client',
    });
    const grant = await sb.app.request(
      '/connect/token',
      form({ grant_type: 'password', client_id: 'cid.sandbox' }),
    );
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const asJson = await sb.app.request('/connect/token', {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'client_credentials' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(asJson.status).toBe(400);
    expect(await asJson.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('throttles token requests per client with 429 and Retry-After', async () => {
    let now = 0;
    const sb = testSandbox({ settings: { tokenRequestsPerMinute: 3 }, monotonicNow: () => now });
    for (let i = 0; i < 3; i++) expect((await requestToken(sb)).status).toBe(200);
    const limited = await requestToken(sb);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    now += 61_000;
    expect((await requestToken(sb)).status).toBe(200);
  });
});

describe('API authentication', () => {
  const path = '/pricebook/v2/tenant/1000001/materials';

  it('accepts the token with or without "Bearer" and the app key as header or query', async () => {
    const sb = testSandbox();
    const token = await sb.token();
    const raw = await sb.app.request(path, {
      headers: { authorization: token, 'st-app-key': 'ak1.sandbox' },
    });
    expect(raw.status).toBe(200);
    const bearer = await sb.app.request(path, {
      headers: { authorization: `Bearer ${token}`, 'st-app-key': 'ak1.sandbox' },
    });
    expect(bearer.status).toBe(200);
    const query = await sb.app.request(`${path}?servicetitanapplicationkey=ak1.sandbox`, {
      headers: { authorization: token },
    });
    expect(query.status).toBe(200);
  });

  it('answers 401 without an app key, with an unknown one, or without a valid token', async () => {
    const sb = testSandbox();
    const token = await sb.token();
    const noKey = await sb.app.request(path, { headers: { authorization: token } });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ statusCode: 401 });
    const badKey = await sb.app.request(path, {
      headers: { authorization: token, 'st-app-key': 'ak1.other' },
    });
    expect(badKey.status).toBe(401);
    const noToken = await sb.app.request(path, { headers: { 'st-app-key': 'ak1.sandbox' } });
    expect(noToken.status).toBe(401);
    const forged = await sb.app.request(path, {
      headers: { authorization: `${token}x`, 'st-app-key': 'ak1.sandbox' },
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toContain('invalid_token');
    expect(await forged.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('expires tokens after 900 s of sandbox time, and on revocation', async () => {
    const sb = testSandbox();
    const token = await sb.token();
    sb.state.clock.advance(899_000);
    expect((await sb.api('materials', { token })).status).toBe(200);
    sb.state.clock.advance(2_000);
    expect((await sb.api('materials', { token })).status).toBe(401);
    const fresh = await sb.token();
    expect((await sb.api('materials', { token: fresh })).status).toBe(200);
    expect((await sb.app.request('/_sandbox/tokens/revoke', { method: 'POST' })).status).toBe(200);
    expect((await sb.api('materials', { token: fresh })).status).toBe(401);
  });

  it('lets an early-expiry fault kill tokens before the 900 s they advertise', async () => {
    const sb = testSandbox();
    sb.state.faults.set({ tokenTtlSeconds: 5 }, '1000001');
    const res = await requestToken(sb);
    const body = (await res.json()) as { access_token: string; expires_in: number };
    expect(body.expires_in).toBe(900);
    expect((await sb.api('materials', { token: body.access_token })).status).toBe(200);
    sb.state.clock.advance(6_000);
    expect((await sb.api('materials', { token: body.access_token })).status).toBe(401);
  });

  it('answers 403 when the token is for another tenant or the app is not connected to it', async () => {
    const sb = testSandbox();
    await sb.app.request('/_sandbox/tenants', {
      method: 'POST',
      body: JSON.stringify({
        tenantId: '2002',
        clientId: 'cid.two',
        clientSecret: 'cs1.two',
        appKey: 'ak1.other-app',
      }),
      headers: { 'content-type': 'application/json' },
    });
    const tokenOne = await sb.token();
    const crossTenant = await sb.api('materials', {
      tenantId: '2002',
      token: tokenOne,
      headers: { 'st-app-key': 'ak1.other-app' },
    });
    expect(crossTenant.status).toBe(403);
    expect(await crossTenant.json()).toMatchObject({ status: 403 });
    const tokenTwo = await sb.token('cid.two', 'cs1.two');
    const wrongApp = await sb.api('materials', {
      tenantId: '2002',
      token: tokenTwo,
      headers: { 'st-app-key': 'ak1.sandbox' },
    });
    expect(wrongApp.status).toBe(403);
    const ok = await sb.api('materials', {
      tenantId: '2002',
      token: tokenTwo,
      headers: { 'st-app-key': 'ak1.other-app' },
    });
    expect(ok.status).toBe(200);
  });
});
