import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from './create-api-client';
import { ProblemError, unwrap } from './problem-error';
import { parseRetryAfter, type RetryEvent, retryDelay } from './retry';
import { type ScriptServer, scriptServer } from './test-support/script-server';

let server: ScriptServer;
beforeAll(async () => {
  server = await scriptServer();
});
afterAll(() => server.close());

const status = { success: true, lastSync: null, stats: [], unresolvedConflicts: 0 };
const unavailable = {
  type: 'https://pricebook-sync.dev/problems/unavailable',
  title: 'Service unavailable',
  status: 503,
  detail: 'Database connection failed',
  code: 'unavailable',
  retry: true,
  dependency: 'database',
};
const accepted = { success: true, syncLogId: '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a', status: 'queued' };

function client(events: RetryEvent[] = []) {
  return createApiClient({
    baseUrl: server.url,
    apiKey: 'test-key-0123456789abcdef',
    retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3, onRetry: (e) => events.push(e) },
  });
}

describe('retries', () => {
  it('waits the Retry-After of a 429, then returns the 200', async () => {
    server.script(
      { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' },
      { status: 200, body: status },
    );
    const events: RetryEvent[] = [];
    const body = unwrap(await client(events).GET('/api/sync/pricebook/status'));
    expect(body).toEqual(status);
    expect(server.received.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(events).toEqual([
      expect.objectContaining({ attempt: 1, status: 429, delayMs: 1000, method: 'GET' }),
    ]);
  });

  it('retries a 503 with backoff, then returns the 200', async () => {
    server.script({ status: 503, body: unavailable }, { status: 200, body: status });
    const events: RetryEvent[] = [];
    expect(unwrap(await client(events).GET('/api/sync/pricebook/status'))).toEqual(status);
    expect(server.received).toHaveLength(2);
    expect(events[0]?.delayMs).toBeLessThanOrEqual(1);
  });

  it('gives up after the last attempt with a ProblemError carrying the problem', async () => {
    server.script({ status: 503, headers: { 'retry-after': '0' }, body: unavailable });
    const result = await client().GET('/api/sync/pricebook/status');
    expect(server.received).toHaveLength(3);
    const error = (() => {
      try {
        unwrap(result);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({
      status: 503,
      code: 'unavailable',
      retry: true,
      title: 'Service unavailable',
      detail: 'Database connection failed',
      problem: { dependency: 'database' },
    });
  });

  it('gives up at once when Retry-After asks for longer than it will wait', async () => {
    server.script(
      { status: 429, headers: { 'retry-after': '3600' }, body: 'later' },
      { status: 200, body: status },
    );
    const result = await client().GET('/api/sync/pricebook/status');
    expect(result.response.status).toBe(429);
    expect(server.received).toHaveLength(1);
  });

  it('sends a POST again, body and all, when the API says nothing was done (its 503 problem, or a 429)', async () => {
    server.script(
      { status: 503, body: unavailable },
      { status: 429, headers: { 'retry-after': '0' }, body: 'slow down' },
      { status: 202, body: accepted },
    );
    const body = unwrap(
      await client().POST('/api/sync/pricebook/full', { body: { entityTypes: ['materials'] } }),
    );
    expect(body).toEqual(accepted);
    expect(server.received.map((r) => r.body)).toEqual(Array(3).fill('{"entityTypes":["materials"]}'));
  });

  it('does not repeat a POST on a bare 503, unless it carries an Idempotency-Key', async () => {
    server.script({ status: 503, body: 'upstream gone' }, { status: 202, body: accepted });
    const result = await client().POST('/api/sync/pricebook/full', {});
    expect(server.received).toHaveLength(1);
    expect(() => unwrap(result)).toThrow(ProblemError);
    expect(() => unwrap(result)).toThrow(/^503 error: upstream gone$/);

    server.script({ status: 503, body: 'upstream gone' }, { status: 202, body: accepted });
    const keyed = await client().POST('/api/sync/pricebook/full', { headers: { 'idempotency-key': 'k-1' } });
    expect(unwrap(keyed)).toEqual(accepted);
    expect(server.received).toHaveLength(2);
  });

  it('never retries other refusals', async () => {
    server.script({ status: 500, body: { ...unavailable, status: 500, code: 'internal' } }, { status: 200 });
    const result = await client().GET('/api/sync/pricebook/status');
    expect(result.response.status).toBe(500);
    expect(server.received).toHaveLength(1);
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:58 GMT')),
    ).toBe(2000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('backs off exponentially within [step/2, step], capped', () => {
    const bounds = { maxAttempts: 9, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };
    expect(retryDelay(1, undefined, bounds, () => 0)).toBe(50);
    expect(retryDelay(3, undefined, bounds, () => 1)).toBe(400);
    expect(retryDelay(8, undefined, bounds, () => 1)).toBe(1_000);
    expect(retryDelay(1, 2_000, bounds)).toBe(2_000);
    expect(retryDelay(1, 6_000, bounds)).toBeUndefined();
  });
});

describe('who is asking', () => {
  it('sends the key, the tenant and extra headers on every request; a request header wins', async () => {
    server.script({ status: 200, body: status });
    let csrf = 0;
    const api = createApiClient({
      baseUrl: `${server.url}/`,
      apiKey: 'test-key-0123456789abcdef',
      tenant: '1001',
      headers: () => ({ 'x-csrf-token': `t${++csrf}` }),
    });
    await api.GET('/api/sync/pricebook/status');
    await api.GET('/api/sync/pricebook/status', { headers: { 'pricebook-tenant': '2002' } });
    expect(server.received.map((r) => r.url)).toEqual(Array(2).fill('/api/sync/pricebook/status'));
    expect(server.received[0]?.headers).toMatchObject({
      authorization: 'Bearer test-key-0123456789abcdef',
      'pricebook-tenant': '1001',
      'x-csrf-token': 't1',
    });
    expect(server.received[1]?.headers).toMatchObject({ 'pricebook-tenant': '2002', 'x-csrf-token': 't2' });
  });

  it('sends the tenant a request names in its typed header parameter over the client-wide one', async () => {
    server.script({ status: 200, body: status });
    const api = createApiClient({ baseUrl: server.url, apiKey: 'test-key-0123456789abcdef', tenant: '1001' });
    await api.GET('/api/sync/pricebook/status', { params: { header: { 'Pricebook-Tenant': '3003' } } });
    await api.POST('/api/sync/pricebook/full', { body: {} });
    expect(server.received[0]?.headers['pricebook-tenant']).toBe('3003');
    expect(server.received[1]?.headers['pricebook-tenant']).toBe('1001');
  });

  it('sends no authorization without a key (a session cookie signs the console)', async () => {
    server.script({ status: 200, body: status });
    await createApiClient({ baseUrl: server.url, credentials: 'include' }).GET('/api/sync/pricebook/status');
    expect(server.received[0]?.headers.authorization).toBeUndefined();
    expect(server.received[0]?.headers['pricebook-tenant']).toBeUndefined();
  });
});
