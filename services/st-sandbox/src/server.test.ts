import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from './app';
import { type RunningServer, startServer } from './server';

// Over a real socket: what app.request() cannot show (dropped connections, wire bodies).
describe('sandbox over HTTP', () => {
  const sandbox = createSandbox({
    defaultTenant: { items: 50, seed: 1 },
    settings: { rateLimitPerSecond: 0 },
  });
  let server: RunningServer;
  let base = '';
  let headers: Record<string, string> = {};

  beforeAll(async () => {
    server = await startServer(sandbox.app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
    const res = await fetch(`${base}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=cid.sandbox&client_secret=cs1.sandbox-secret',
    });
    const { access_token } = (await res.json()) as { access_token: string };
    headers = { authorization: access_token, 'st-app-key': 'ak1.sandbox' };
  });
  afterAll(async () => {
    await server.close();
  });

  const url = (path: string) => `${base}/pricebook/v2/tenant/1000001/${path}`;

  it('serves pages and item writes over the wire', async () => {
    const res = await fetch(url('materials?pageSize=5'), { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as { data: { id: number }[] };
    expect(body.data).toHaveLength(5);
    const patched = await fetch(url(`materials/${body.data[0]?.id}`), {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ price: 42 }),
    });
    expect(await patched.json()).toMatchObject({ price: 42 });
  });

  it('destroys the socket for a dropped-connection fault', async () => {
    sandbox.state.faults.set({ script: ['drop'] }, '1000001');
    await expect(fetch(url('materials'), { headers })).rejects.toThrow();
    expect((await fetch(url('materials'), { headers })).status).toBe(200);
    expect(sandbox.state.stats.snapshot([]).byStatus.dropped).toBe(1);
  });

  it('sends a valid status with a cut JSON body for a truncation fault', async () => {
    sandbox.state.faults.set({ script: ['truncate'] }, '1000001');
    const res = await fetch(url('materials'), { headers });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.startsWith('{"page":1')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('sends Retry-After with storm 429s', async () => {
    sandbox.state.faults.set({ script: ['rate-limit'] }, '1000001');
    const res = await fetch(url('materials'), { headers });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
  });
});
