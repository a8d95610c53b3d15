import { createOrm } from '@pricebook/db';
import { createMetrics } from '@pricebook/observability';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness({ nats: true }));

describe('GET /healthz', () => {
  it('answers alive without touching anything', async () => {
    const app = h.app({
      natsHealth: async () => {
        throw new Error('nats down');
      },
    });
    const res = await call(app, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });
});

describe('GET /readyz', () => {
  it('is ready when the database and NATS answer', async () => {
    const res = await call(h.app(), 'GET', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { database: 'ok', nats: 'ok' } });
  });

  it('answers a 503 problem naming NATS once its server is gone', async () => {
    await h.nats?.server.stop();
    try {
      const res = await call(h.app(), 'GET', '/readyz');
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({
        code: 'unavailable',
        retry: true,
        checks: { database: 'ok', nats: 'down' },
      });
    } finally {
      await h.nats?.server.start();
    }
  });
});

describe('errors', () => {
  it('an unknown route is a 404 problem', async () => {
    for (const [method, path] of [
      ['GET', '/api/sync/pricebook/nope'],
      ['DELETE', '/api/sync/pricebook/status'],
      ['GET', '/'],
    ] as const) {
      const res = await call(h.app(), method, path, { key: keys.admin });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({ code: 'not_found', status: 404, instance: path });
    }
  });

  it('an unexpected failure is a 500 problem that reveals nothing, logged with its cause', async () => {
    const closed = await createOrm(h.db.url, { poolMax: 1 });
    await closed.close();
    const res = await call(h.app({ orm: closed }), 'GET', '/api/sync/pricebook/status', { key: keys.viewer });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ code: 'internal', detail: 'An unexpected error occurred.' });
    const requestId = String(res.body.requestId);
    expect(h.lines.some((l) => l.msg === 'request failed' && l.requestId === requestId && l.err)).toBe(true);
  });
});

describe('GET /metrics', () => {
  it('serves the process metrics as Prometheus text, without a key', async () => {
    const metrics = createMetrics({ service: 'api' });
    metrics.stRequests.inc({ status: '200' });
    const res = await h.app({ metrics }).request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
    expect(text).toContain('pricebook_st_requests_total{status="200",service="api"} 1');
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? \S+$/);
    }
  });
});
