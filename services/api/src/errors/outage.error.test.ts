import { createOrm, type Orm } from '@pricebook/db';
import { startPrivatePostgres } from '@pricebook/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Harness, keys, signIn, startHarness } from '../test-support';

let h: Harness;
let downOrm: Orm;
let stopCluster: () => Promise<void>;
beforeAll(async () => {
  h = await startHarness({ nats: true });
  // A database of its own, stopped: every route then meets PostgreSQL unreachable.
  const cluster = await startPrivatePostgres();
  downOrm = await createOrm(cluster.url, { acquireTimeoutMillis: 2_000 });
  await cluster.stop();
  stopCluster = () => cluster.close();
}, 60_000);
afterAll(async () => {
  await downOrm?.close().catch(() => undefined);
  await stopCluster?.();
  await h?.close();
});

describe('while PostgreSQL is unreachable', () => {
  it('every route that needs it answers a 503 problem naming the database, never a 500', async () => {
    const app = h.app({ orm: downOrm });
    for (const [method, path, body] of [
      ['GET', '/api/sync/pricebook/status', undefined],
      ['GET', '/api/sync/pricebook/conflicts', undefined],
      ['GET', '/api/pricebook/materials', undefined],
      ['GET', '/api/sync/pricebook/rejections', undefined],
      ['POST', '/api/sync/pricebook/full', {}],
      ['PATCH', '/api/pricebook/materials/st:1', { price: 1 }],
    ] as const) {
      const res = await call(app, method, path, { key: keys.admin, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body, `${method} ${path}`).toMatchObject({
        code: 'unavailable',
        retry: true,
        detail: 'Database connection failed',
        dependency: 'database',
      });
    }
  });

  it('a session cookie gets a 503 naming the database (its revocation cannot be checked), a bearer key does not', async () => {
    const app = h.app({ orm: downOrm });
    // Signing in needs no database: the session is signed, not stored.
    const { cookie, csrfToken } = await signIn(app, keys.admin);
    for (const [method, path] of [
      ['GET', '/api/session'],
      ['DELETE', '/api/session'],
      ['POST', '/api/sessions/revoke'],
    ] as const) {
      const res = await call(app, method, path, {
        headers: { cookie, 'x-csrf-token': csrfToken },
        ...(method === 'POST' ? { body: { all: true } } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({ code: 'unavailable', retry: true, dependency: 'database' });
      // A sign-out that could not end the session leaves the cookie, to be tried again.
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    const bearer = await call(app, 'GET', '/api/session', { key: keys.admin });
    expect(bearer.status).toBe(200);
  });

  it('/readyz says the database is down', async () => {
    const res = await call(h.app({ orm: downOrm }), 'GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      dependency: 'database',
      detail: 'Database connection failed',
      checks: { database: 'down', nats: 'ok' },
    });
  });
});

describe('while NATS is unreachable', () => {
  it('/readyz says the message broker is down', async () => {
    const res = await call(
      h.app({
        natsHealth: async () => {
          throw Object.assign(new Error('closed'), { name: 'ClosedConnectionError' });
        },
      }),
      'GET',
      '/readyz',
    );
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ dependency: 'nats', detail: 'Message broker unavailable' });
  });
});
