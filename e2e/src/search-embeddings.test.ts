import { entityTables, entityTypes } from '@pricebook/contracts';
import { startFakeEmbeddings, startService } from '@pricebook/testing';
import { forFile, until } from '@pricebook/testing/vitest';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { api, rows, sync } from './test-support';
import { startWithFakeProvider } from './test-support/fake-provider';

// The embedder is not running while the sync runs: the sync must not wait for it, and the
// embedder, started afterwards, catches up from its durables.
const w = forFile(
  () =>
    startWithFakeProvider(startFakeEmbeddings, (fake) => ({
      sandbox: { items: 60, seed: 13 },
      env: { EMBEDDINGS_URL: fake.url, EMBEDDINGS_MODEL: 'fake-e2e' },
    })),
  180_000,
);

const counts = async (sql: pg.Client) => {
  let live = 0;
  let embedded = 0;
  for (const entity of entityTypes) {
    const [r] = await rows<{ live: string; embedded: string }>(
      sql,
      `select count(*) as live, count(embedding) as embedded from ${entityTables[entity]} where deleted_at is null`,
    );
    live += Number(r?.live);
    embedded += Number(r?.embedded);
  }
  return { live, embedded };
};

describe('embeddings, end to end', () => {
  it('a sync completes with no embedder running; started later, the embedder embeds every item', async () => {
    const result = await sync(w.stack, 'full');
    expect(result).toMatchObject({ status: 'completed' });
    const before = await counts(w.sql);
    expect(before.live).toBeGreaterThan(0);
    expect(before.embedded).toBe(0);
    expect(w.fake.requests.filter((r) => r.input[0] !== 'dimension probe')).toEqual([]);

    const embedder = await startService({ name: 'embedder', env: { ...w.stack.env, HEALTH_PORT: '0' } });
    try {
      await until(
        'every live item embedded',
        async () => {
          const now = await counts(w.sql);
          return now.embedded === now.live;
        },
        60_000,
      );
      // Each item once: the created events, and no update since.
      const texts = w.fake.texts().filter((t) => t !== 'dimension probe');
      expect(texts.length).toBe(before.live);
    } finally {
      await embedder.stop();
    }
  });

  it('the API finds an item by meaning through the same provider', async () => {
    const [item] = await rows<{ display_name: string; id: string }>(
      w.sql,
      `select id, display_name from ${entityTables.materials} where display_name is not null and deleted_at is null order by st_id limit 1`,
    );
    expect(item).toBeDefined();
    const q = encodeURIComponent(item?.display_name ?? '');
    const res = await api<{ mode: string; items: { item: { id: string } }[] }>(
      w.stack,
      'GET',
      `/api/pricebook/search?q=${q}&mode=semantic&entity=materials&limit=5`,
    );
    expect(res.status).toBe(200);
    expect(res.body.mode).toBe('semantic');
    expect(res.body.items.map((i) => i.item.id)).toContain(item?.id);
  });
});
