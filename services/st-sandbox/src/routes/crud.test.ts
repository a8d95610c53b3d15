import { describe, expect, it } from 'vitest';
import { testSandbox } from '../test-support';

interface Page {
  page: number;
  pageSize: number;
  totalCount: number | null;
  hasMore: boolean;
  data: Record<string, unknown>[];
}

const post = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });
const patch = (body: unknown) => ({ method: 'PATCH', body: JSON.stringify(body) });

describe('list endpoints', () => {
  const sb = testSandbox({ defaultTenant: { items: 400, seed: 3 } });

  it('pages through every item exactly once with active=Any', async () => {
    const seen: number[] = [];
    for (let page = 1; ; page++) {
      const body = await sb.json<Page>(`materials?active=Any&pageSize=17&page=${page}`);
      expect(body.data.length).toBeLessThanOrEqual(17);
      seen.push(...body.data.map((d) => Number(d.id)));
      if (!body.hasMore) break;
    }
    const live = sb.state.tenants.get('1000001')?.stores.materials.live() ?? [];
    expect(seen).toHaveLength(live.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(live.map((i) => i.data.id)));
  });

  it('returns only active items by default and filters with active=False', async () => {
    const active = await sb.json<Page>('materials?pageSize=5000&includeTotal=true');
    const inactive = await sb.json<Page>('materials?pageSize=5000&active=False&includeTotal=true');
    const any = await sb.json<Page>('materials?pageSize=5000&active=Any&includeTotal=true');
    expect(active.data.every((d) => d.active === true)).toBe(true);
    expect(inactive.data.every((d) => d.active === false)).toBe(true);
    expect(inactive.data.length).toBeGreaterThan(0);
    expect(active.totalCount).toBe(active.data.length);
    expect((active.totalCount ?? 0) + (inactive.totalCount ?? 0)).toBe(any.totalCount);
    expect((await sb.json<Page>('materials')).totalCount).toBeNull();
    expect((await sb.json<Page>('materials')).pageSize).toBe(50);
  });

  it('rejects bad paging parameters with RFC 7807 bodies', async () => {
    for (const q of ['pageSize=5001', 'page=0', 'pageSize=abc', 'active=Maybe', 'includeTotal=perhaps']) {
      const res = await sb.api(`materials?${q}`);
      expect(res.status, q).toBe(400);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['data', 'errors', 'status', 'title', 'traceId', 'type']);
      expect(Object.keys(body.errors as object).length).toBeGreaterThan(0);
    }
  });

  it('looks up by ids (at most 50) and filters by dates, text, category type', async () => {
    const some = (await sb.json<Page>('services?pageSize=3')).data.map((d) => Number(d.id));
    const byIds = await sb.json<Page>(`services?ids=${some.join(',')}`);
    expect(byIds.data.map((d) => d.id).sort()).toEqual([...some].sort());
    const tooMany = Array.from({ length: 51 }, (_, i) => i + 1).join(',');
    expect((await sb.api(`services?ids=${tooMany}`)).status).toBe(400);

    const all = (await sb.json<Page>('equipment?pageSize=5000&active=Any')).data;
    const pivot = [...all.map((d) => String(d.modifiedOn))].sort()[Math.floor(all.length / 2)] ?? '';
    const after = await sb.json<Page>(`equipment?pageSize=5000&active=Any&modifiedOnOrAfter=${pivot}`);
    const before = await sb.json<Page>(`equipment?pageSize=5000&active=Any&modifiedBefore=${pivot}`);
    expect(after.data.every((d) => Date.parse(String(d.modifiedOn)) >= Date.parse(pivot))).toBe(true);
    expect(after.data.length + before.data.length).toBe(all.length);

    const word = String(all[0]?.code).slice(0, 4).toLowerCase();
    const found = await sb.json<Page>(`equipment?pageSize=5000&active=Any&searchText=${word}`);
    expect(found.data.length).toBeGreaterThan(0);
    for (const d of found.data) {
      expect(`${d.code} ${d.displayName} ${d.description}`.toLowerCase()).toContain(word);
    }
    expect((await sb.api('equipment?searchText=a')).status).toBe(400);

    const services = await sb.json<Page>('categories?categoryType=Services&pageSize=5000');
    expect(services.data.length).toBeGreaterThan(0);
    expect(services.data.every((c) => c.categoryType === 'Services')).toBe(true);
  });

  it('accepts documented sort fields but does not sort the result set; unknown fields are 400', async () => {
    expect((await sb.api('categories?sort=+Name')).status).toBe(200);
    expect((await sb.api('categories?sort=-ModifiedOn')).status).toBe(400);
    const pages: number[] = [];
    for (let page = 1; page <= 3; page++) {
      const body = await sb.json<Page>(`materials?sort=-Price&pageSize=20&page=${page}`);
      const prices = body.data.map((d) => Number(d.price));
      expect(prices).toEqual([...prices].sort((a, b) => b - a));
      pages.push(...prices);
    }
    expect(pages).not.toEqual([...pages].sort((a, b) => b - a));
  });

  it('adds unknown fields to records and envelopes, and can turn them off', async () => {
    const body = await sb.json<Page & { _newField?: string }>('materials?pageSize=1');
    expect(body._newField).toBe('sandbox');
    expect(body.data[0]).toHaveProperty('sortOrder');
    const plain = testSandbox({ defaultTenant: { items: 10 }, settings: { extraFields: false } });
    const off = await plain.json<Page & { _newField?: string }>('materials?pageSize=1');
    expect(off._newField).toBeUndefined();
    expect(off.data[0]).not.toHaveProperty('sortOrder');
  });

  it('answers 404 for unknown ids and non-numeric ids', async () => {
    const res = await sb.api('materials/1');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: 404 });
    expect((await sb.api('materials/abc')).status).toBe(404);
  });
});

describe('writes', () => {
  it('creates (201), reads, updates (200) and deletes (204) a material with every kind of field', async () => {
    const sb = testSandbox();
    const category = await sb.json<{ id: number }>(
      'categories',
      post({ name: 'Motors', categoryType: 'Materials', modifiedOn: '2000-01-01T00:00:00Z' }),
    );
    const created = await sb.api(
      'materials',
      post({
        code: 'MOT-1',
        description: '<p>Motor</p>',
        cost: 50,
        price: 120.5,
        categories: [category.id],
        primaryVendor: { vendorId: 101, cost: 50, active: true, vendorPart: 'F-1' },
        assets: [{ type: 'Image', url: 'https://x.test/a/motor.jpg', isDefault: true }],
        id: 999,
        createdOn: '2000-01-01T00:00:00Z',
      }),
    );
    expect(created.status).toBe(201);
    const m = (await created.json()) as Record<string, unknown>;
    expect(m.id).not.toBe(999);
    expect(m).toMatchObject({ code: 'MOT-1', price: 120.5, categories: [category.id], active: true });
    expect(m.primaryVendor).toMatchObject({ vendorId: 101, vendorName: 'Ferguson Enterprises', cost: 50 });
    expect(m.assets).toEqual([
      {
        alias: null,
        fileName: 'motor.jpg',
        isDefault: true,
        type: 'Image',
        url: 'https://x.test/a/motor.jpg',
      },
    ]);
    expect(m.defaultAssetUrl).toBe('https://x.test/a/motor.jpg');
    expect(m.createdOn).toBe(m.modifiedOn);
    expect(String(m.createdOn)).not.toContain('2000');

    const updated = await sb.json<Record<string, unknown>>(
      `materials/${m.id}`,
      patch({ price: 130, displayName: null }),
    );
    expect(updated).toMatchObject({ price: 130, code: 'MOT-1', displayName: null, cost: 50 });
    expect(updated.modifiedOn).not.toBe(m.modifiedOn);
    expect(await sb.json(`materials/${m.id}`)).toMatchObject({ price: 130 });

    expect((await sb.api(`materials/${m.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await sb.api(`materials/${m.id}`)).status).toBe(404);
    expect((await sb.api(`materials/${m.id}`, patch({ price: 1 }))).status).toBe(404);
    expect((await sb.json<Page>('materials?active=Any')).data).toHaveLength(0);
  });

  it('validates required fields, types and unique codes as ASP.NET errors', async () => {
    const sb = testSandbox();
    const missing = await sb.api('materials', post({ price: 'cheap' }));
    expect(missing.status).toBe(400);
    const body = (await missing.json()) as {
      errors: Record<string, string[]>;
      title: string;
      traceId: string;
    };
    expect(body.errors.Code).toEqual(['The Code field is required.']);
    expect(body.errors.Description).toBeDefined();
    expect(body.errors['$.price']?.[0]).toContain('System.Decimal');
    expect(body.traceId).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);

    expect((await sb.api('materials', post({ code: 'Abc', description: '' }))).status).toBe(201);
    const dup = await sb.api('materials', post({ code: 'aBC', description: '' }));
    expect(dup.status).toBe(400);
    expect(((await dup.json()) as { errors: Record<string, string[]> }).errors.Code?.[0]).toContain(
      'already in use',
    );
    // Codes are per entity: a service may reuse a material's code.
    expect((await sb.api('services', post({ code: 'ABC', description: '' }))).status).toBe(201);
    expect((await sb.api('materials', post({ code: 'X', description: '', categories: [123] }))).status).toBe(
      400,
    );
    expect((await sb.api('materials', { method: 'POST', body: '{not json' })).status).toBe(400);
    expect((await sb.api('materials', post({ code: 'Y', description: '', price: null }))).status).toBe(201);
  });

  it('takes service categories as ids and returns them as {id, name, active}', async () => {
    const sb = testSandbox();
    const cat = await sb.json<{ id: number }>(
      'categories',
      post({ name: 'Drains', categoryType: 'Services' }),
    );
    const svc = await sb.json<Record<string, unknown>>(
      'services',
      post({ code: 'S1', description: 'd', categories: [cat.id], price: 200 }),
    );
    expect(svc.categories).toEqual([{ id: cat.id, name: 'Drains', active: true }]);
    expect(svc).not.toHaveProperty('calculatedPrice');
    const read = await sb.json<Record<string, unknown>>(`services/${svc.id}?calculatePrices=true`);
    expect(read).toMatchObject({ calculatedPrice: 200, useStaticPrices: true });
    const bad = await sb.api(
      'services',
      post({ code: 'S2', description: 'd', categories: [{ id: cat.id }] }),
    );
    expect(bad.status).toBe(400);
  });

  it('accepts links a record already had after their target was deleted, but not new dangling ones', async () => {
    const sb = testSandbox();
    const cat = await sb.json<{ id: number }>('categories', post({ name: 'Old', categoryType: 'Services' }));
    const mat = await sb.json<{ id: number }>('materials', post({ code: 'M', description: '', cost: 4 }));
    const svc = await sb.json<Record<string, unknown>>(
      'services',
      post({
        code: 'S',
        description: '',
        categories: [cat.id],
        serviceMaterials: [{ skuId: mat.id, quantity: 2 }],
      }),
    );
    expect(svc.cost).toBe(8);
    await sb.api(`materials/${mat.id}`, { method: 'DELETE' });
    await sb.api(`categories/${cat.id}`, { method: 'DELETE' });
    const read = await sb.json<Record<string, unknown>>(`services/${svc.id}`);
    expect(read.categories).toEqual([{ id: cat.id, name: 'Old', active: false }]);
    const resend = await sb.api(
      `services/${svc.id}`,
      patch({ categories: [cat.id], serviceMaterials: read.serviceMaterials, price: 50 }),
    );
    expect(resend.status).toBe(200);
    const other = await sb.json<{ id: number }>('services', post({ code: 'S2', description: '' }));
    expect(
      (await sb.api(`services/${other.id}`, patch({ serviceMaterials: [{ skuId: mat.id, quantity: 1 }] })))
        .status,
    ).toBe(400);
  });

  it('keeps externalData per application: Replace, Merge and the GUID visibility rule', async () => {
    const sb = testSandbox();
    const app1 = '11111111-1111-1111-1111-111111111111';
    const app2 = '22222222-2222-2222-2222-222222222222';
    const m = await sb.json<Record<string, unknown>>(
      'materials',
      post({
        code: 'E1',
        description: '',
        externalData: {
          applicationGuid: app1,
          externalData: [
            { key: 'localId', value: 'a' },
            { key: 'x', value: '1' },
          ],
        },
      }),
    );
    expect(m.externalData).toEqual([
      { key: 'localId', value: 'a' },
      { key: 'x', value: '1' },
    ]);
    expect((await sb.json<Record<string, unknown>>(`materials/${m.id}`)).externalData).toBeNull();
    expect(
      (await sb.json<Record<string, unknown>>(`materials/${m.id}?externalDataApplicationGuid=${app2}`))
        .externalData,
    ).toEqual([]);

    await sb.json(
      `materials/${m.id}`,
      patch({ externalData: { applicationGuid: app2, externalData: [{ key: 'k', value: 'v' }] } }),
    );
    await sb.json(
      `materials/${m.id}`,
      patch({
        externalData: {
          patchMode: 'Merge',
          applicationGuid: app1,
          externalData: [
            { key: 'x', value: null },
            { key: 'y', value: '2' },
          ],
        },
      }),
    );
    const one = await sb.json<Record<string, unknown>>(
      `materials/${m.id}?externalDataApplicationGuid=${app1}`,
    );
    expect(one.externalData).toEqual([
      { key: 'localId', value: 'a' },
      { key: 'y', value: '2' },
    ]);
    await sb.json(
      `materials/${m.id}`,
      patch({ externalData: { applicationGuid: app1, externalData: [{ key: 'localId', value: 'b' }] } }),
    );
    const replaced = await sb.json<Record<string, unknown>>(
      `materials/${m.id}?externalDataApplicationGuid=${app1}`,
    );
    expect(replaced.externalData).toEqual([{ key: 'localId', value: 'b' }]);
    const two = await sb.json<Record<string, unknown>>(
      `materials/${m.id}?externalDataApplicationGuid=${app2}`,
    );
    expect(two.externalData).toEqual([{ key: 'k', value: 'v' }]);

    await sb.json('materials', post({ code: 'E2', description: '' }));
    const filtered = await sb.json<Page>(
      `materials?externalDataApplicationGuid=${app1}&externalDataKey=localId&externalDataValues=b,c`,
    );
    expect(filtered.data.map((d) => d.id)).toEqual([m.id]);
    expect(
      (
        await sb.json<Page>(
          `materials?externalDataApplicationGuid=${app1}&externalDataKey=localId&externalDataValues=zzz`,
        )
      ).data,
    ).toEqual([]);
    expect((await sb.api('materials?externalDataKey=localId')).status).toBe(400);
  });

  it('ignores read-only fields and refuses isOtherDirectCost on PATCH silently', async () => {
    const sb = testSandbox();
    const m = await sb.json<Record<string, unknown>>(
      'materials',
      post({ code: 'R1', description: '', isOtherDirectCost: true }),
    );
    const after = await sb.json<Record<string, unknown>>(
      `materials/${m.id}`,
      patch({
        isOtherDirectCost: false,
        createdById: 1,
        source: 'hack',
        variationsOrConfigurableMaterials: [1],
      }),
    );
    expect(after).toMatchObject({
      isOtherDirectCost: true,
      createdById: m.createdById,
      source: null,
      variationsOrConfigurableMaterials: [],
    });
  });
});
