import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiClient } from './create-api-client';
import { unwrap } from './problem-error';
import { type RetryEvent, type RetryOptions, retryingFetch } from './retry';
import { freePort, type ScriptServer, scriptServer } from './test-support/script-server';

let server: ScriptServer;
beforeAll(async () => {
  server = await scriptServer();
});
afterAll(() => server.close());

const status = { success: true, lastSync: null, stats: [], unresolvedConflicts: 0 };
const accepted = { success: true, syncLogId: '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a', status: 'queued' };
const quick = { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 } satisfies RetryOptions;

function client(baseUrl: string, events: RetryEvent[] = [], fetch?: typeof globalThis.fetch) {
  return createApiClient({
    baseUrl,
    apiKey: 'test-key-0123456789abcdef',
    retry: { ...quick, onRetry: (e) => events.push(e) },
    ...(fetch ? { fetch } : {}),
  });
}

/** What a call threw (the test fails if it did not throw). */
async function failureOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('a connection that fails', () => {
  it('is retried until an API that was not listening yet starts and answers', async () => {
    const port = await freePort();
    const failures: unknown[] = [];
    let late: ScriptServer | undefined;
    // Node's own fetch, watched: the API starts only once the first attempt has been refused.
    const watched: typeof fetch = async (input, init) => {
      try {
        return await fetch(input, init);
      } catch (error) {
        failures.push(error);
        if (!late) {
          late = await scriptServer(port);
          late.script({ status: 200, body: status });
        }
        throw error;
      }
    };
    const events: RetryEvent[] = [];
    try {
      const body = unwrap(
        await client(`http://127.0.0.1:${port}`, events, watched).GET('/api/sync/pricebook/status'),
      );
      expect(body).toEqual(status);
      expect(failures).toEqual([
        expect.objectContaining({
          name: 'TypeError',
          cause: expect.objectContaining({ code: 'ECONNREFUSED' }),
        }),
      ]);
      expect(events).toEqual([
        expect.objectContaining({
          attempt: 1,
          status: undefined,
          reason: 'connection refused',
          method: 'GET',
        }),
      ]);
      expect(late?.received.map((r) => r.method)).toEqual(['GET']);
    } finally {
      await late?.close();
    }
  });

  it('gives up after maxAttempts with fetch own error, unchanged', async () => {
    const events: RetryEvent[] = [];
    const refused = await failureOf(
      client(`http://127.0.0.1:${await freePort()}`, events).GET('/api/sync/pricebook/status'),
    );
    expect(refused).toBeInstanceOf(TypeError);
    expect(refused).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
    expect(events.map((e) => e.attempt)).toEqual([1, 2]);

    server.script('drop');
    const dropped = await failureOf(client(server.url).GET('/api/sync/pricebook/status'));
    expect(dropped).toMatchObject({ name: 'TypeError', cause: { code: 'UND_ERR_SOCKET' } });
    expect(server.received).toHaveLength(3);
  });

  it('retries a GET the server dropped once', async () => {
    server.script('drop', { status: 200, body: status });
    const events: RetryEvent[] = [];
    expect(unwrap(await client(server.url, events).GET('/api/sync/pricebook/status'))).toEqual(status);
    expect(server.received.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(events).toEqual([
      expect.objectContaining({ status: undefined, reason: 'connection closed before an answer' }),
    ]);
  });

  it('never sends a POST again without an Idempotency-Key: the error reaches the caller', async () => {
    server.script('drop', { status: 202, body: accepted });
    const events: RetryEvent[] = [];
    const error = await failureOf(
      client(server.url, events).POST('/api/sync/pricebook/full', { body: { entityTypes: ['materials'] } }),
    );
    expect(error).toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
      cause: { code: 'UND_ERR_SOCKET' },
    });
    // The API read the request: the sync may well have started.
    expect(server.received.map((r) => r.method)).toEqual(['POST']);
    expect(events).toEqual([]);
  });

  it('sends a POST again, body and all, when it carries an Idempotency-Key', async () => {
    server.script('drop', { status: 202, body: accepted });
    const body = unwrap(
      await client(server.url).POST('/api/sync/pricebook/full', {
        headers: { 'idempotency-key': 'test-key-full-1' },
        body: { entityTypes: ['materials'] },
      }),
    );
    expect(body).toEqual(accepted);
    expect(server.received.map((r) => [r.method, r.headers['idempotency-key'], r.body])).toEqual(
      Array(2).fill(['POST', 'test-key-full-1', '{"entityTypes":["materials"]}']),
    );
  });

  it('retries only the methods that are safe to send twice', async () => {
    const send = retryingFetch(fetch, quick);
    const sent: Record<string, number> = {};
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'POST', 'PATCH']) {
      server.script('drop', { status: 200, body: {} });
      const response = await send(`${server.url}/x`, { method }).catch(() => undefined);
      sent[method] = server.received.length;
      expect(response?.status, method).toBe(sent[method] === 2 ? 200 : undefined);
    }
    expect(sent).toEqual({ GET: 2, HEAD: 2, OPTIONS: 2, PUT: 2, DELETE: 2, POST: 1, PATCH: 1 });
  });

  it('is not retried when retries are off', async () => {
    server.script('drop', { status: 200, body: status });
    const api = createApiClient({ baseUrl: server.url, retry: false });
    expect(await failureOf(api.GET('/api/sync/pricebook/status'))).toBeInstanceOf(TypeError);
    expect(server.received).toHaveLength(1);
  });
});

describe('an aborted request', () => {
  it('stops waiting at once', async () => {
    const controller = new AbortController();
    const events: RetryEvent[] = [];
    // Backoff far beyond the test's timeout: only the abort can end this wait in time.
    const send = retryingFetch(fetch, {
      baseDelayMs: 600_000,
      maxDelayMs: 600_000,
      onRetry: (e) => {
        events.push(e);
        controller.abort();
      },
    });
    const error = await failureOf(
      send(`http://127.0.0.1:${await freePort()}/x`, { signal: controller.signal }),
    );
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(events).toHaveLength(1);
  });

  it('is not sent again when aborted in flight', async () => {
    server.script('hold');
    const controller = new AbortController();
    const events: RetryEvent[] = [];
    const call = client(server.url, events).GET('/api/sync/pricebook/status', { signal: controller.signal });
    await vi.waitFor(() => expect(server.received).toHaveLength(1), { timeout: 10_000 });
    controller.abort();
    expect(await failureOf(call)).toMatchObject({ name: 'AbortError' });
    expect(events).toEqual([]);
  });
});
