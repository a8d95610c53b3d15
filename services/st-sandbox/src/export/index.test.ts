import { describe, expect, it } from 'vitest';
import { type TestSandbox, testSandbox } from '../test-support';

interface ExportBody {
  hasMore: boolean;
  continueFrom: string;
  data: { id: number; modifiedOn: string; active: boolean; price?: number }[];
  _newField?: string;
}

async function exportAll(sb: TestSandbox, entity: string, from = '', recent = false) {
  const rows: ExportBody['data'] = [];
  let token = from;
  let calls = 0;
  for (;;) {
    const q = new URLSearchParams({ from: token, includeRecentChanges: String(recent) });
    const body = await sb.json<ExportBody>(`export/${entity}?${q}`);
    rows.push(...body.data);
    token = body.continueFrom;
    calls++;
    if (!body.hasMore) return { rows, token, calls };
  }
}

const HOUR = 3600_000;

describe('export feeds', () => {
  it('delivers every row once across small pages even with modifiedOn ties', async () => {
    const sb = testSandbox({ defaultTenant: { items: 500, seed: 5 }, settings: { exportPageSize: 7 } });
    const { rows, calls } = await exportAll(sb, 'materials');
    const store = sb.state.tenants.get('1000001')?.stores.materials;
    const everything = store?.all() ?? [];
    expect(calls).toBeGreaterThan(10);
    expect(rows.map((r) => r.id).sort()).toEqual(everything.map((i) => i.data.id).sort());
    const ties = new Map<string, number>();
    for (const r of rows) ties.set(r.modifiedOn, (ties.get(r.modifiedOn) ?? 0) + 1);
    expect([...ties.values()].some((n) => n > 1)).toBe(true);
    const times = rows.map((r) => Date.parse(r.modifiedOn));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(rows.some((r) => !r.active)).toBe(true);
  });

  it('resumes from a stored token without losing edits, including a bulk edit sharing one modifiedOn', async () => {
    const sb = testSandbox({ defaultTenant: { items: 200, seed: 9 }, settings: { exportPageSize: 4 } });
    const first = await exportAll(sb, 'materials');
    const ids = first.rows.slice(0, 9).map((r) => r.id);
    const tenant = sb.state.tenants.get('1000001');
    if (!tenant) throw new Error('no tenant');
    // A mass edit: nine rows with one modifiedOn, spread over three pages of four.
    await sb.app.request('/_sandbox/tenants/1000001/materials', {
      method: 'PATCH',
      body: JSON.stringify({ ids, fields: { price: 777 } }),
      headers: { 'content-type': 'application/json' },
    });
    const nothingYet = await exportAll(sb, 'materials', first.token);
    expect(nothingYet.rows).toEqual([]);
    sb.state.clock.advance(16 * 60_000);
    const next = await exportAll(sb, 'materials', first.token);
    expect(next.rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(new Set(next.rows.map((r) => r.modifiedOn)).size).toBe(1);
    expect(next.rows.every((r) => r.price === 777)).toBe(true);
    // The same token can be reused (e.g. after a client restart) and gives the same rows.
    expect((await exportAll(sb, 'materials', first.token)).rows).toEqual(next.rows);

    // Edited twice since the token: the row comes once, in its latest state.
    for (const price of [1, 2]) {
      await sb.api(`materials/${ids[0]}`, { method: 'PATCH', body: JSON.stringify({ price }) });
    }
    sb.state.clock.advance(16 * 60_000);
    const twice = await exportAll(sb, 'materials', next.token);
    expect(twice.rows.map((r) => [r.id, r.price])).toEqual([[ids[0], 2]]);
    const fromScratch = (await exportAll(sb, 'materials')).rows.map((r) => r.id);
    expect(fromScratch).toHaveLength(tenant.stores.materials.all().length);
    expect(new Set(fromScratch).size).toBe(fromScratch.length);
  });

  it('holds back rows changed in the last 15 minutes unless includeRecentChanges=true', async () => {
    const sb = testSandbox({ defaultTenant: { items: 50, seed: 2 } });
    const base = await exportAll(sb, 'services');
    const id = base.rows[0]?.id;
    await sb.app.request(`/_sandbox/tenants/1000001/services/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ price: 1234 }),
      headers: { 'content-type': 'application/json' },
    });
    expect((await exportAll(sb, 'services', base.token)).rows).toEqual([]);
    const recent = await exportAll(sb, 'services', base.token, true);
    expect(recent.rows.map((r) => r.id)).toContain(id);
    sb.state.clock.advance(14 * 60_000);
    expect((await exportAll(sb, 'services', base.token)).rows).toEqual([]);
    sb.state.clock.advance(2 * 60_000);
    expect((await exportAll(sb, 'services', base.token)).rows.map((r) => r.id)).toEqual([id]);
  });

  it('repeats rows on consecutive calls with includeRecentChanges=true, never skipping any', async () => {
    const sb = testSandbox({
      defaultTenant: { items: 100, seed: 4 },
      settings: { exportPageSize: 10, exportOverlap: 3 },
    });
    const { rows } = await exportAll(sb, 'materials', '', true);
    const unique = new Set(rows.map((r) => `${r.id}|${r.modifiedOn}`));
    expect(rows.length).toBeGreaterThan(unique.size);
    const total = sb.state.tenants.get('1000001')?.stores.materials.all().length;
    expect(unique.size).toBe(total);
  });

  it('shows deleted rows once more, as their last state with active=false', async () => {
    const sb = testSandbox({ defaultTenant: { items: 30, seed: 1 } });
    const base = await exportAll(sb, 'equipment');
    const victim = base.rows.find((r) => r.active);
    await sb.api(`equipment/${victim?.id}`, { method: 'DELETE' });
    sb.state.clock.advance(HOUR);
    const after = await exportAll(sb, 'equipment', base.token);
    expect(after.rows).toHaveLength(1);
    expect(after.rows[0]).toMatchObject({ id: victim?.id, active: false });
  });

  it('plays an item edited while a client pages: met again, newer, later in the same run', async () => {
    const sb = testSandbox({ defaultTenant: { items: 60, seed: 3 }, settings: { exportPageSize: 5 } });
    const [first] = (await exportAll(sb, 'materials')).rows;
    if (!first) throw new Error('no materials');
    const armed = await sb.app.request(
      `/_sandbox/tenants/1000001/materials/${first.id}/edit-after-export-page`,
      {
        method: 'POST',
        body: JSON.stringify({ afterPages: 1, fields: { price: 4242 } }),
        headers: { 'content-type': 'application/json' },
      },
    );
    expect(armed.status).toBe(201);
    const { rows } = await exportAll(sb, 'materials', '', true);
    const seen = rows.filter((r) => r.id === first.id);
    expect(seen.map((r) => r.price)).toEqual([first.price, 4242]);
    expect(Date.parse(seen[1]?.modifiedOn ?? '')).toBeGreaterThan(Date.parse(seen[0]?.modifiedOn ?? ''));
    // Once only: the next run meets the item once, at its new version.
    const again = (await exportAll(sb, 'materials', '', true)).rows.filter((r) => r.id === first.id);
    expect(again.map((r) => r.price)).toEqual([4242]);
  });

  it('accepts a date as from (inclusive, on modifiedOn) and refuses junk or foreign tokens', async () => {
    const sb = testSandbox({ defaultTenant: { items: 200, seed: 6 } });
    const all = (await exportAll(sb, 'materials')).rows;
    const pivot = all[Math.floor(all.length / 2)]?.modifiedOn ?? '';
    const since = (await exportAll(sb, 'materials', pivot)).rows;
    expect(since.length).toBeGreaterThan(0);
    expect(since.every((r) => Date.parse(r.modifiedOn) >= Date.parse(pivot))).toBe(true);
    expect(since.length).toBe(all.filter((r) => Date.parse(r.modifiedOn) >= Date.parse(pivot)).length);
    expect((await exportAll(sb, 'materials', '2000-01-01')).rows).toHaveLength(all.length);

    expect((await sb.api('export/materials?from=banana')).status).toBe(400);
    const servicesToken = (await exportAll(sb, 'services')).token;
    expect((await sb.api(`export/materials?from=${servicesToken}`)).status).toBe(400);
    expect(Number.isNaN(Date.parse(servicesToken))).toBe(true);
  });

  it('returns the documented envelope plus an unknown field', async () => {
    const sb = testSandbox({ defaultTenant: { items: 20, seed: 1 } });
    const body = await sb.json<ExportBody>('export/categories');
    expect(Object.keys(body)).toEqual(['hasMore', 'continueFrom', 'data', '_newField']);
    expect(body.data[0]).toHaveProperty('sortOrder');
  });
});
