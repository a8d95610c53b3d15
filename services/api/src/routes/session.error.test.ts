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
  it.each([
    ['no body', undefined],
    ['an empty key', { apiKey: '' }],
    ['a key that is not a string', { apiKey: 42 }],
    ['an unknown field', { apiKey: keys.viewer, role: 'admin' }],
  ])('%s → 400 naming the field', async (_what, body) => {
    const res = await call(app, 'POST', '/api/session', { body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ code: 'validation_failed' });
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('an unknown key → 401 problem and no cookie', async () => {
    const res = await call(app, 'POST', '/api/session', { body: { apiKey: `${keys.admin}x` } });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'unauthorized' });
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('GET /api/session', () => {
  it('without credentials → 401', async () => {
    const res = await call(app, 'GET', '/api/session');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'unauthorized' });
  });

  it('with a session that has expired → 401 asking to sign in again', async () => {
    const short = h.app({ config: { session: { ttlMs: 1 } } });
    const { cookie } = await signIn(short, keys.viewer);
    await new Promise((r) => setTimeout(r, 5));
    const res = await call(short, 'GET', '/api/session', { headers: { cookie } });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ detail: 'the session has expired: sign in again' });
  });
});
