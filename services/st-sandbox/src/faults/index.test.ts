import { describe, expect, it } from 'vitest';
import { testSandbox } from '../test-support';
import { FaultInjector } from '.';

describe('FaultInjector', () => {
  it('replays the same decisions for the same seed', () => {
    const run = (seed: number) => {
      const f = new FaultInjector();
      f.set({ errorRate: 0.3, rateLimitStormRate: 0.3, dropRate: 0.1, seed });
      return Array.from({ length: 200 }, () => f.decide('1', '/x', false).action);
    };
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
    const actions = run(4);
    for (const a of ['ok', 'error', 'rate-limit', 'drop'] as const) expect(actions).toContain(a);
  });

  it('plays a script first, honours path patterns and prefers a tenant set over the global one', () => {
    const f = new FaultInjector();
    f.set({ script: ['drop', 'error'] });
    f.set({ errorRate: 1, pathPattern: '/export/' }, 'A');
    expect(f.decide('B', '/x', false).action).toBe('drop');
    expect(f.decide('B', '/x', false).action).toBe('error');
    expect(f.decide('B', '/x', false).action).toBe('ok');
    expect(f.decide('A', '/materials', false).action).toBe('ok');
    expect(f.decide('A', '/export/materials', false).action).toBe('error');
    expect(f.decide(undefined, '/connect/token', true).action).toBe('ok');
  });
});

describe('fault middleware', () => {
  it('injects 5xx, 429 storms and truncated bodies into API responses', async () => {
    const sb = testSandbox({ defaultTenant: { items: 20 } });
    sb.state.faults.set({ script: ['error', 'error', 'rate-limit', 'truncate', 'ok'], seed: 3 }, '1000001');
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) statuses.push((await sb.api('materials')).status);
    expect(statuses.every((s) => s >= 500 && s <= 503)).toBe(true);
    const storm = await sb.api('materials');
    expect(storm.status).toBe(429);
    expect(storm.headers.get('retry-after')).toBe('1');
    const truncated = await sb.api('materials');
    expect(truncated.status).toBe(200);
    const text = await truncated.text();
    expect(text.length).toBeGreaterThan(10);
    expect(() => JSON.parse(text)).toThrow();
    const fine = await sb.api('materials');
    expect(JSON.parse(await fine.text())).toHaveProperty('data');
    const stats = sb.state.stats.snapshot([]);
    expect(stats.faultsInjected).toMatchObject({ error: 2, 'rate-limit': 1, truncate: 1 });
  });

  it('sends roughly the configured share of storm 429s regardless of the real rate', async () => {
    const sb = testSandbox();
    sb.state.faults.set({ rateLimitStormRate: 0.5, seed: 11 });
    let limited = 0;
    for (let i = 0; i < 200; i++) if ((await sb.api('categories')).status === 429) limited++;
    expect(limited).toBeGreaterThan(60);
    expect(limited).toBeLessThan(140);
  });

  it('can include the token endpoint', async () => {
    const sb = testSandbox();
    sb.state.faults.set({ script: ['error'], includeAuth: true });
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'cid.sandbox',
      client_secret: 'cs1.sandbox-secret',
    });
    const res = await sb.app.request('/connect/token', {
      method: 'POST',
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
  });
});
