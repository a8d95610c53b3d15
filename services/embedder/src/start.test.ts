import { loadConfig } from '@pricebook/config';
import { createOrm, migrate } from '@pricebook/db';
import { createTestDatabase, startFakeEmbeddings } from '@pricebook/testing';
import { describe, expect, it } from 'vitest';
import { embedderEnv } from './env';
import { openEmbedder } from './start';
import { silentLog } from './test-support';

describe('the embedder at start', () => {
  it('embeds nothing without a provider, and refuses a model whose width does not fit the columns', async () => {
    const [db, fake] = await Promise.all([
      createTestDatabase('pb_embedder_start'),
      startFakeEmbeddings({ dimensions: 768 }),
    ]);
    try {
      await migrate(db.url);
      const orm = await createOrm(db.url, { poolMax: 1 });
      try {
        expect(
          await openEmbedder(loadConfig(embedderEnv, { DATABASE_URL: db.url }), orm, silentLog),
        ).toBeUndefined();
        const env = loadConfig(embedderEnv, {
          DATABASE_URL: db.url,
          EMBEDDINGS_URL: fake.url,
          EMBEDDINGS_MODEL: 'small-768',
        });
        await expect(openEmbedder(env, orm, silentLog)).rejects.toThrow(
          /"small-768" returns vectors of 768 dimensions, but the pricebook's embedding columns hold 1536/,
        );
        const shortened = loadConfig(embedderEnv, {
          DATABASE_URL: db.url,
          EMBEDDINGS_URL: fake.url,
          EMBEDDINGS_MODEL: 'small-768',
          EMBEDDINGS_DIMENSIONS: '1536',
        });
        expect((await openEmbedder(shortened, orm, silentLog))?.dimensions).toBe(1536);
      } finally {
        await orm.close();
      }
    } finally {
      await fake.close();
      await db.drop();
    }
  });
});
