import { PricebookSearchResponse, PricebookSimilarResponse } from '@pricebook/contracts';
import { EmbeddingsClient, embeddingsSettingsOf } from '@pricebook/embeddings';
import { type FakeEmbeddings, startFakeEmbeddings } from '@pricebook/testing';
import { forFile } from '@pricebook/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { seedMaterials, stMaterial } from '../test-support/pricebook';
import { embedMaterials } from '../test-support/search';

const h = forFile(() => startHarness());
let fake: FakeEmbeddings;
beforeAll(async () => {
  fake = await startFakeEmbeddings();
});
afterAll(() => fake.close());

const embedder = () =>
  new EmbeddingsClient(embeddingsSettingsOf({ url: fake.url, model: 'fake', maxRetries: 0 }));

interface Hit {
  entity: string;
  score: number;
  textRank: number | null;
  semanticRank: number | null;
  item: { id: string; record: Record<string, unknown> };
}
interface SearchBody {
  mode: string;
  requestedMode: string;
  note?: string;
  items: Hit[];
}

const catalogue = [
  stMaterial(1, {
    code: 'WH-TL-199',
    displayName: 'Tankless water heater, natural gas',
    description: '199k BTU',
  }),
  stMaterial(2, {
    code: 'CU-EL-12',
    displayName: 'Copper pipe elbow 1/2 inch',
    description: '90 degree sweat',
  }),
  stMaterial(3, { code: 'BR-EL-12', displayName: 'Brass elbow 1/2 inch', description: 'threaded' }),
  stMaterial(4, { code: 'PVC-BV-1', displayName: 'PVC ball valve 1 inch', description: 'schedule 40' }),
  stMaterial(5, {
    code: 'CU-EL-12B',
    displayName: 'Copper elbow 1/2 inch pipe',
    description: '90 degree sweat',
  }),
];

async function seeded() {
  const tenant = h.tenant();
  const ids = await seedMaterials(h, tenant, catalogue);
  await embedMaterials(h, tenant, fake);
  return { tenant, ids };
}

const names = (body: SearchBody) => body.items.map((i) => i.item.record.displayName);

describe('GET /api/pricebook/search', () => {
  it('finds by words with full text, best match first, and only live rows of the tenant', async () => {
    const { tenant, ids } = await seeded();
    const other = h.tenant();
    await seedMaterials(h, other, [stMaterial(9, { displayName: 'Copper pipe elbow 3/4 inch' })]);
    await h.sql('update pricebook_materials set deleted_at = now() where id = ?', [ids[4]]);
    const res = await call<SearchBody>(
      h.app({ tenantId: tenant }),
      'GET',
      '/api/pricebook/search?q=copper+elbow&mode=text',
      {
        key: keys.viewer,
      },
    );
    expect(res.status).toBe(200);
    expect(PricebookSearchResponse.safeParse(res.body).error).toBeUndefined();
    expect(res.body).toMatchObject({ mode: 'text', requestedMode: 'text' });
    expect(res.body.note).toBeUndefined();
    expect(names(res.body)).toEqual(['Copper pipe elbow 1/2 inch']);
    expect(res.body.items[0]).toMatchObject({ entity: 'materials', textRank: 1, semanticRank: null });
  });

  it("finds an item by its whole name pasted with a dash between words, and '-word' still excludes", async () => {
    const tenant = h.tenant();
    await seedMaterials(h, tenant, [
      stMaterial(21, { displayName: 'Tune-Up - Air Conditioner Premium' }),
      stMaterial(22, { displayName: 'Tune-Up - Furnace Premium' }),
    ]);
    const app = h.app({ tenantId: tenant });
    const search = async (q: string) =>
      names(
        (
          await call<SearchBody>(app, 'GET', `/api/pricebook/search?mode=text&q=${encodeURIComponent(q)}`, {
            key: keys.viewer,
          })
        ).body,
      );
    expect(await search('Tune-Up - Air Conditioner Premium')).toEqual(['Tune-Up - Air Conditioner Premium']);
    expect(await search('Tune-Up \u2013 Furnace')).toEqual(['Tune-Up - Furnace Premium']);
    expect(await search('tune-up premium -furnace')).toEqual(['Tune-Up - Air Conditioner Premium']);
  });

  it('semantic search finds a paraphrase that full text does not', async () => {
    const { tenant } = await seeded();
    const app = h.app({ tenantId: tenant, embedder: embedder() });
    const q = '/api/pricebook/search?q=gas+heaters+without+a+tank';
    const text = await call<SearchBody>(app, 'GET', `${q}&mode=text`, { key: keys.viewer });
    expect(text.body.items).toEqual([]);
    const semantic = await call<SearchBody>(app, 'GET', `${q}&mode=semantic&limit=3`, { key: keys.viewer });
    expect(semantic.status).toBe(200);
    expect(semantic.body.mode).toBe('semantic');
    expect(names(semantic.body)[0]).toBe('Tankless water heater, natural gas');
    expect(semantic.body.items[0]).toMatchObject({ semanticRank: 1, textRank: null });
    expect(semantic.body.items).toHaveLength(3);
  });

  it('hybrid fuses both lists: what both agree on first, then what only one found', async () => {
    const { tenant } = await seeded();
    const app = h.app({ tenantId: tenant, embedder: embedder() });
    const res = await call<SearchBody>(
      app,
      'GET',
      '/api/pricebook/search?q=copper+pipe+elbow&entity=materials',
      {
        key: keys.viewer,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.mode).toBe('hybrid');
    const [first] = res.body.items;
    expect(first?.item.record.displayName).toBe('Copper pipe elbow 1/2 inch');
    expect(first?.textRank).toBe(1);
    expect(first?.semanticRank).not.toBeNull();
    // The brass elbow has no "copper": only the vectors found it, and fusion keeps it.
    const brass = res.body.items.find((i) => i.item.record.displayName === 'Brass elbow 1/2 inch');
    expect(brass).toMatchObject({ textRank: null });
    expect(brass?.semanticRank).not.toBeNull();
    const scores = res.body.items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(first?.score).toBeCloseTo(1 / 61 + 1 / (60 + (first?.semanticRank ?? 0)), 10);
  });

  it('answers semantic and hybrid from full text, with a note, when no provider is configured', async () => {
    const { tenant } = await seeded();
    const res = await call<SearchBody>(
      h.app({ tenantId: tenant }),
      'GET',
      '/api/pricebook/search?q=ball+valve',
      {
        key: keys.viewer,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mode: 'text', requestedMode: 'hybrid' });
    expect(res.body.note).toMatch(/no embeddings provider/i);
    expect(names(res.body)).toEqual(['PVC ball valve 1 inch']);
  });

  it('answers from full text, with a note, while the provider does not answer', async () => {
    const { tenant } = await seeded();
    fake.failNext(1, 503);
    const res = await call<SearchBody>(
      h.app({ tenantId: tenant, embedder: embedder() }),
      'GET',
      '/api/pricebook/search?q=ball+valve&mode=semantic',
      { key: keys.viewer },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mode: 'text', requestedMode: 'semantic' });
    expect(res.body.note).toMatch(/did not answer/);
    expect(names(res.body)).toEqual(['PVC ball valve 1 inch']);
  });
});

describe('GET /api/pricebook/{entity}/{id}/similar', () => {
  it('lists likely duplicates nearest first, without the record itself', async () => {
    const { tenant, ids } = await seeded();
    const res = await call<{
      items: { distance: number; item: { id: string; record: Record<string, unknown> } }[];
    }>(h.app({ tenantId: tenant }), 'GET', `/api/pricebook/materials/${ids[1]}/similar?limit=3`, {
      key: keys.viewer,
    });
    expect(res.status).toBe(200);
    expect(PricebookSimilarResponse.safeParse(res.body).error).toBeUndefined();
    expect(res.body.items.map((i) => i.item.id)).not.toContain(ids[1]);
    expect(res.body.items[0]?.item.record.displayName).toBe('Copper elbow 1/2 inch pipe');
    const distances = res.body.items.map((i) => i.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));

    const near = await call<{ items: unknown[] }>(
      h.app({ tenantId: tenant }),
      'GET',
      `/api/pricebook/materials/st:2/similar?maxDistance=${(distances[0] ?? 0) + 1e-9}`,
      { key: keys.viewer },
    );
    expect(near.body.items).toHaveLength(1);
  });

  it('says so when the record has no embedding yet', async () => {
    const tenant = h.tenant();
    const [id] = await seedMaterials(h, tenant, [stMaterial(1)]);
    const res = await call<{ note?: string; items: unknown[] }>(
      h.app({ tenantId: tenant }),
      'GET',
      `/api/pricebook/materials/${id}/similar`,
      { key: keys.viewer },
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    expect(res.body.note).toMatch(/no embedding yet/);
  });
});
