import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedSandbox, sandboxAccessToken, startSandbox } from './sandbox';

describe('startSandbox', () => {
  let st: StartedSandbox;
  let headers: Record<string, string>;

  const login = async () => {
    headers = { authorization: `Bearer ${await sandboxAccessToken(st)}`, 'ST-App-Key': st.appKey };
  };

  beforeAll(async () => {
    st = await startSandbox({ items: 40, seed: 3, exportPageSize: 10 });
    await login();
  });
  afterAll(async () => {
    await st?.stop();
  });

  const api = (path: string) => `${st.baseUrl}/pricebook/v2/tenant/${st.tenantId}/${path}`;

  it('runs a separate sandbox process with the generated pricebook', async () => {
    expect(st.tokenUrl).toBe(`${st.authUrl}/connect/token`);
    const res = await fetch(api('materials?active=Any&pageSize=500'), { headers });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { id: number }[] };
    expect(body.data.length).toBe((await st.control.items('materials')).length);
    const exported = (await (await fetch(api('export/materials'), { headers })).json()) as {
      data: unknown[];
    };
    expect(exported.data).toHaveLength(10);
  });

  it('drives the sandbox through the typed control client', async () => {
    const [first] = await st.control.items('materials');
    if (!first) throw new Error('no materials');
    const edited = await st.control.editItem('materials', first.id, { price: 321.5 });
    expect(edited.price).toBe(321.5);
    const read = (await (await fetch(api(`materials/${first.id}`), { headers })).json()) as Record<
      string,
      unknown
    >;
    expect(read.price).toBe(321.5);

    const created = await st.control.createItem('services', { code: 'CTL-1', description: 'x' });
    const [a, b] = await st.control.editItems('services', [created.id, first.id].slice(0, 1), { price: 5 });
    expect(a?.price).toBe(5);
    expect(b).toBeUndefined();
    expect((await st.control.deactivateItem('services', created.id)).active).toBe(false);
    expect((await st.control.deleteItem('services', created.id)).deleted).toBe(true);
    const corrupt = await st.control.corruptItem('materials', first.id, { price: 'free' });
    expect(corrupt.price).toBe('free');
    const withDeleted = await st.control.items('services', { includeDeleted: true });
    expect(withDeleted.find((i) => i.id === created.id)?.deleted).toBe(true);

    const before = Date.parse(await st.control.now());
    const after = Date.parse(await st.control.advanceClock(3_600_000));
    expect(after - before).toBeGreaterThanOrEqual(3_600_000);
    // An hour of sandbox time outlives the 900 s token, as it would in ServiceTitan.
    expect((await fetch(api('categories'), { headers })).status).toBe(401);
    await login();

    await st.control.setFaults({ script: ['error'] });
    expect((await fetch(api('categories'), { headers })).status).toBeGreaterThanOrEqual(500);
    await st.control.clearFaults();

    const stats = await st.control.stats();
    expect(stats.byPath['GET /pricebook/v2/tenant/:tenant/categories']?.byStatus).toMatchObject({ '401': 1 });
    expect(stats.byStatus['500'] ?? stats.byStatus['502'] ?? stats.byStatus['503']).toBe(1);
    expect(stats.rateLimit[0]?.maxAcceptedPerSecond).toBeLessThanOrEqual(60);

    const other = await st.control.createTenant({ items: 10 });
    expect(other.counts.materials).toBe(6);
    expect(await st.control.forTenant(other.tenantId).items('materials')).toHaveLength(6);
    expect(await st.control.revokeTokens()).toBeGreaterThan(0);
    expect((await fetch(api('categories'), { headers })).status).toBe(401);

    await st.control.reset();
    expect(await st.control.tenants()).toHaveLength(1);
  });

  it('stops the process', async () => {
    const extra = await startSandbox();
    expect((await fetch(`${extra.baseUrl}/_sandbox/health`)).status).toBe(200);
    await extra.stop();
    await expect(fetch(`${extra.baseUrl}/_sandbox/health`)).rejects.toThrow();
  });
});
