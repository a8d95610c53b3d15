import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '@pricebook/errors';
import { createLogger } from '@pricebook/logger';
import { describe, expect, it } from 'vitest';
import { TokenProvider } from './auth';
import { StClient } from './client';
import { isAmbiguousWrite } from './errors';
import { SlidingWindowLimiter } from './rate-limit';
import { rawMaterial } from './test-support';

type Handler = (req: Request) => Response | Promise<Response>;

/** A fetch that answers the token endpoint itself and hands API calls to `api` in turn. */
function fakeServer(api: Handler[]) {
  const calls: Request[] = [];
  let tokens = 0;
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    if (req.url.endsWith('/connect/token')) {
      tokens += 1;
      return Response.json({ access_token: `tok-${tokens}`, expires_in: 900, token_type: 'Bearer' });
    }
    calls.push(req);
    const handler = api[Math.min(calls.length - 1, api.length - 1)];
    if (!handler) throw new Error('no handler');
    return handler(req);
  };
  return { fetch: fetchImpl as typeof fetch, calls, tokenCount: () => tokens };
}

function client(fetchImpl: typeof fetch, extra: Partial<ConstructorParameters<typeof StClient>[0]> = {}) {
  return new StClient({
    baseUrl: 'http://st.test',
    authUrl: 'http://auth.test',
    tenantId: '42',
    clientId: 'cid.x',
    clientSecret: 'cs1.very-secret',
    appKey: 'ak1.key',
    fetch: fetchImpl,
    rateLimiter: new SlidingWindowLimiter({ limit: 1000, windowMs: 1000, marginMs: 0 }),
    retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 4 },
    ...extra,
  });
}

const page = (data: unknown[], hasMore = false) => Response.json({ page: 1, pageSize: 5000, hasMore, data });
const networkError = (code: string) => () =>
  Promise.reject(new TypeError('fetch failed', { cause: { code } }));

describe('StHttp via StClient', () => {
  it('sends the bearer token and app key and the list defaults', async () => {
    const server = fakeServer([() => page([rawMaterial(1)])]);
    const pages = [];
    for await (const p of client(server.fetch).list('materials')) pages.push(p);
    const req = server.calls[0];
    expect(req?.headers.get('authorization')).toBe('Bearer tok-1');
    expect(req?.headers.get('st-app-key')).toBe('ak1.key');
    const url = new URL(req?.url ?? '');
    expect(url.pathname).toBe('/pricebook/v2/tenant/42/materials');
    expect(url.searchParams.get('active')).toBe('Any');
    expect(url.searchParams.get('pageSize')).toBe('5000');
    expect(url.searchParams.get('page')).toBe('1');
    expect(url.searchParams.has('sort')).toBe(false);
    expect(pages[0]?.records).toHaveLength(1);
  });

  it('retries 429 (with Retry-After), 5xx, a truncated body and a reset connection on GET', async () => {
    const server = fakeServer([
      () =>
        new Response('{"title":"Try again in 0 seconds."}', { status: 429, headers: { 'retry-after': '0' } }),
      () => new Response('oops', { status: 503 }),
      () => new Response('{"page":1,"pageSize":5000,"hasMore":false,"da', { status: 200 }),
      networkError('ECONNRESET'),
      () => page([rawMaterial(1)]),
    ]);
    const st = client(server.fetch, { retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 6 } });
    const got = await st.listByIds('materials', [1]);
    expect(got.records.map((r) => r.id)).toEqual([1]);
    expect(server.calls).toHaveLength(5);
    const stats = st.stats();
    expect(stats).toMatchObject({ retries: 4, rateLimited: 1, networkErrors: 1, badBodies: 1 });
    expect(stats.byStatus).toMatchObject({ '429': 1, '503': 1, '200': 2, network: 1 });
  });

  it('gives up after maxAttempts with a retryable error', async () => {
    const server = fakeServer([() => new Response('', { status: 429, headers: { 'retry-after': '0' } })]);
    const error = await client(server.fetch)
      .get('materials', 1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'rate_limited', retry: true });
    expect(server.calls).toHaveLength(4);
  });

  it('ends the retries when ST asks for a longer wait than allowed', async () => {
    const server = fakeServer([() => new Response('', { status: 429, headers: { 'retry-after': '3600' } })]);
    const error = await client(server.fetch)
      .get('materials', 1)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rate_limited', retry: true });
    expect(server.calls).toHaveLength(1);
  });

  it('turns a 400 into upstream_rejected with ST errors and does not retry it', async () => {
    const problem = {
      type: 'x',
      title: 'Validation failed',
      status: 400,
      traceId: 't1',
      errors: { Code: ['taken'] },
    };
    const server = fakeServer([() => Response.json(problem, { status: 400 })]);
    const error = await client(server.fetch)
      .patch('materials', 1, { code: 'dup' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'upstream_rejected',
      retry: false,
      details: { status: 400, title: 'Validation failed', errors: { Code: ['taken'] }, traceId: 't1' },
    });
    expect(server.calls).toHaveLength(1);
  });

  it('renews the token once on 401 and repeats the request', async () => {
    const server = fakeServer([() => new Response('', { status: 401 }), () => Response.json(rawMaterial(1))]);
    const st = client(server.fetch);
    const got = await st.get('materials', 1);
    expect(got?.id).toBe(1);
    expect(server.tokenCount()).toBe(2);
    expect(server.calls[1]?.headers.get('authorization')).toBe('Bearer tok-2');
    expect(st.stats().tokenRefreshesOn401).toBe(1);
  });

  it('fails with unauthorized when the fresh token is refused too', async () => {
    const server = fakeServer([() => new Response('', { status: 401 })]);
    const error = await client(server.fetch)
      .get('materials', 1)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unauthorized', retry: false });
    expect(server.calls).toHaveLength(2);
  });

  it('returns undefined for a 404 get and deleted:false for a 404 delete', async () => {
    const server = fakeServer([() => new Response('', { status: 404 })]);
    const st = client(server.fetch);
    expect(await st.get('materials', 9)).toBeUndefined();
    expect(await st.delete('materials', 9)).toEqual({ deleted: false });
  });

  it('never repeats a POST whose outcome is unknown', async () => {
    for (const failure of [networkError('ECONNRESET'), () => new Response('', { status: 502 })]) {
      const server = fakeServer([failure, () => Response.json(rawMaterial(1), { status: 201 })]);
      const st = client(server.fetch);
      const error = await st.create('materials', { code: 'M-1', description: 'd' }).catch((e: unknown) => e);
      expect(isAmbiguousWrite(error)).toBe(true);
      expect(error).toMatchObject({ code: 'upstream_unavailable', details: { outcome: 'unknown' } });
      expect(server.calls).toHaveLength(1);
      expect(st.stats().ambiguousWrites).toBe(1);
    }
  });

  it('treats a 201 with a broken body as ambiguous, not as a failure to retry', async () => {
    const server = fakeServer([() => new Response('{"id":1,"co', { status: 201 })]);
    const error = await client(server.fetch)
      .create('materials', { code: 'M-1', description: 'd' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ details: { outcome: 'unknown', status: 201 } });
    expect(server.calls).toHaveLength(1);
  });

  it('repeats a POST that provably never left (connection refused) and one answered 429', async () => {
    const server = fakeServer([
      networkError('ECONNREFUSED'),
      () => new Response('', { status: 429, headers: { 'retry-after': '0' } }),
      () => Response.json(rawMaterial(7), { status: 201 }),
    ]);
    const created = await client(server.fetch).create('materials', { code: 'M-7', description: 'd' });
    expect(created.id).toBe(7);
    expect(server.calls).toHaveLength(3);
  });

  it('validates request bodies before sending', async () => {
    const server = fakeServer([() => Response.json(rawMaterial(1))]);
    const st = client(server.fetch);
    await expect(st.create('materials', { code: 'X' } as never)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(st.patch('materials', 1, { id: 3 } as never)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(st.patch('materials', 1, {})).rejects.toMatchObject({ code: 'validation_failed' });
    expect(server.calls).toHaveLength(0);
  });

  it('sends exactly the patch fields given, normalised', async () => {
    const server = fakeServer([() => Response.json(rawMaterial(1, { price: 13.5 }))]);
    const updated = await client(server.fetch).patch('materials', 1, { price: 13.50001 });
    expect(await server.calls[0]?.json()).toEqual({ price: 13.5 });
    expect(updated.price).toBe(13.5);
  });

  it('stops at once when the caller aborts', async () => {
    const controller = new AbortController();
    const server = fakeServer([
      () => {
        controller.abort(new Error('shutdown'));
        return new Response('', { status: 503 });
      },
    ]);
    await expect(client(server.fetch).get('materials', 1, { signal: controller.signal })).rejects.toThrow(
      'shutdown',
    );
    expect(server.calls).toHaveLength(1);
  });

  it('chunks listByIds by 50 and reports missing ids', async () => {
    const server = fakeServer([
      (req) => {
        const ids = (new URL(req.url).searchParams.get('ids') ?? '').split(',').map(Number);
        return page(ids.filter((id) => id !== 77).map((id) => rawMaterial(id)));
      },
    ]);
    const ids = Array.from({ length: 120 }, (_, i) => i + 1);
    const got = await client(server.fetch).listByIds('materials', ids);
    expect(server.calls).toHaveLength(3);
    expect(server.calls.map((c) => new URL(c.url).searchParams.get('ids')?.split(',').length)).toEqual([
      50, 50, 20,
    ]);
    expect(got.records).toHaveLength(119);
    expect(got.missing).toEqual([77]);
  });

  it('reads an entity without an ids filter one by one, and refuses it an externalData search', async () => {
    const category = (id: number) => ({
      id,
      name: `C-${id}`,
      active: true,
      description: null,
      image: null,
      parentId: null,
      position: 1,
      categoryType: 'Services',
      subcategories: [],
      businessUnitIds: [],
      skuImages: [],
      skuVideos: [],
      source: null,
      externalId: null,
      hideInMobile: false,
      createdOn: null,
      modifiedOn: null,
    });
    const server = fakeServer([
      (req) => {
        const id = Number(new URL(req.url).pathname.split('/').at(-1));
        return id === 3 ? new Response(null, { status: 404 }) : Response.json(category(id));
      },
    ]);
    const st = client(server.fetch);
    const got = await st.listByIds('categories', [1, 3, 2]);
    // The registry says categories take no `ids=`: one GET per id, never a list call.
    expect(server.calls.map((c) => new URL(c.url).pathname)).toEqual([
      '/pricebook/v2/tenant/42/categories/1',
      '/pricebook/v2/tenant/42/categories/3',
      '/pricebook/v2/tenant/42/categories/2',
    ]);
    expect(got.records.map((r) => r.id)).toEqual([1, 2]);
    expect(got.missing).toEqual([3]);
    await expect(st.findByExternalData('categories', { applicationGuid: 'g' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(server.calls).toHaveLength(3);
  });

  it('reports an invalid record and delivers the rest of the page', async () => {
    const server = fakeServer([() => page([rawMaterial(1), rawMaterial(2, { price: 'x' }), rawMaterial(3)])]);
    const st = client(server.fetch);
    const pages = [];
    for await (const p of st.list('materials')) pages.push(p);
    expect(pages[0]?.records.map((r) => r.id)).toEqual([1, 3]);
    expect(pages[0]?.invalid.map((r) => r.id)).toEqual([2]);
    expect(st.stats().invalidRecords).toBe(1);
  });

  it('reads one page ahead, unless told not to', async () => {
    const pages = [
      () => page([rawMaterial(1)], true),
      () => page([rawMaterial(2)], true),
      () => page([], false),
    ];
    const ahead = fakeServer(pages);
    for await (const _ of client(ahead.fetch).list('materials')) {
      await sleep(20);
      expect(ahead.calls).toHaveLength(2);
      break;
    }
    const lazy = fakeServer(pages);
    for await (const _ of client(lazy.fetch).list('materials', { readAhead: false })) {
      await sleep(20);
      expect(lazy.calls).toHaveLength(1);
      break;
    }
  });

  it('drops a failed read-ahead quietly when the consumer has stopped', async () => {
    const server = fakeServer([
      () => page([rawMaterial(1)], true),
      () => new Response('no', { status: 400 }),
    ]);
    for await (const _ of client(server.fetch).list('materials')) {
      await sleep(20);
      break;
    }
    expect(server.calls).toHaveLength(2);
  });

  it('surfaces a failed read-ahead when the consumer asks for that page', async () => {
    const server = fakeServer([
      () => page([rawMaterial(1)], true),
      () => new Response('no', { status: 400 }),
    ]);
    const seen: number[] = [];
    const run = async () => {
      for await (const p of client(server.fetch).list('materials')) seen.push(p.page);
    };
    await expect(run()).rejects.toMatchObject({ code: 'upstream_rejected' });
    expect(seen).toEqual([1]);
  });

  it('pages until hasMore is false and carries export tokens', async () => {
    const server = fakeServer([
      () => Response.json({ hasMore: true, continueFrom: 't1', data: [rawMaterial(1)] }),
      () => Response.json({ hasMore: false, continueFrom: 't2', data: [] }),
    ]);
    const batches = [];
    for await (const b of client(server.fetch).export('materials', { from: 't0' })) batches.push(b);
    expect(batches.map((b) => [b.from, b.continueFrom, b.hasMore])).toEqual([
      ['t0', 't1', true],
      ['t1', 't2', false],
    ]);
    expect(server.calls.map((c) => new URL(c.url).searchParams.get('from'))).toEqual(['t0', 't1']);
  });
});

describe('logging', () => {
  it('never writes the secret, the app key or a token, even while retrying', async () => {
    let lines = '';
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines += String(chunk);
        done();
      },
    });
    const logger = createLogger({ service: 'test', level: 'trace', destination });
    const server = fakeServer([
      () => new Response('', { status: 503 }),
      networkError('ECONNRESET'),
      () => new Response('', { status: 401 }),
      () => page([rawMaterial(1)]),
    ]);
    const st = client(server.fetch, { logger });
    const error = await st.create('materials', { code: 'X', description: 'd' }).catch((e: unknown) => e);
    for await (const _ of st.list('materials')) break;
    expect(lines).toContain('st request will be retried');
    const text = `${lines}${JSON.stringify(error)}${String(error)}`;
    for (const secret of ['cs1.very-secret', 'ak1.key', 'tok-1', 'tok-2']) expect(text).not.toContain(secret);
  });
});

describe('TokenProvider', () => {
  it('shares one in-flight request and renews before expiry', async () => {
    let now = 0;
    let requests = 0;
    const fetchImpl = (async () => {
      requests += 1;
      await sleep(5);
      return Response.json({ access_token: `t${requests}`, expires_in: 900 });
    }) as unknown as typeof fetch;
    const tokens = new TokenProvider({
      authUrl: 'http://a',
      clientId: 'c',
      clientSecret: 's',
      fetch: fetchImpl,
      now: () => now,
    });
    const all = await Promise.all(Array.from({ length: 20 }, () => tokens.token()));
    expect(new Set(all)).toEqual(new Set(['t1']));
    now = 839_000;
    expect(await tokens.token()).toBe('t1');
    now = 840_001;
    expect(await tokens.token()).toBe('t2');
    tokens.invalidate('t1');
    expect(await tokens.token()).toBe('t2');
    tokens.invalidate('t2');
    expect(await tokens.token()).toBe('t3');
  });

  it('refuses bad credentials without repeating the secret', async () => {
    const fetchImpl = (async () =>
      Response.json({ error: 'invalid_client' }, { status: 400 })) as unknown as typeof fetch;
    const tokens = new TokenProvider({
      authUrl: 'http://a',
      clientId: 'c',
      clientSecret: 'cs1.top-secret',
      fetch: fetchImpl,
    });
    const error = await tokens.token().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unauthorized', retry: false, details: { error: 'invalid_client' } });
    expect(
      JSON.stringify({ message: (error as Error).message, details: (error as AppError).details }),
    ).not.toContain('top-secret');
  });
});
